module tinynn.ops {
    requires transitive tinynn.graph;

    exports tinynn.ops;
    exports tinynn.ops.init;
    exports tinynn.ops.loss;
    exports tinynn.ops.nn;
}
