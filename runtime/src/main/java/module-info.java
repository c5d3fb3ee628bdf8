module tinynn.runtime {
    requires transitive tinynn.ops;
    requires transitive tinynn.data;
    // static: without --add-modules=jdk.incubator.vector the runtime must still load and fall back to ojalgo.
    requires static jdk.incubator.vector;
    requires ojalgo;

    exports tinynn.runtime;
    exports tinynn.runtime.data;
    exports tinynn.runtime.metrics;
    exports tinynn.runtime.model;
    exports tinynn.runtime.ojalgo;
    exports tinynn.runtime.optim;
    exports tinynn.runtime.optim.schedule;
    exports tinynn.runtime.reference;
    exports tinynn.runtime.simd;
    exports tinynn.runtime.train;

    uses tinynn.runtime.model.ModelCodec;
}
