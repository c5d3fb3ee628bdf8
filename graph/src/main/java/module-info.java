module tinynn.graph {
    requires transitive tinynn.base;

    exports tinynn.graph;
}
