/** The base type of tinynn's user-facing errors. */
module tinynn.base {
    exports tinynn.base;
}
