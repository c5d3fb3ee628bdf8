module tinynn.examples {
    requires tinynn.runtime;
}
