module tinynn.examples {
    requires transitive tinynn.runtime;
    requires tinynn.serialization;

    exports tinynn.examples;
}
