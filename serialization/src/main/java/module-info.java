module tinynn.serialization {
    requires transitive tinynn.runtime;
    requires transitive com.google.protobuf;

    exports tinynn.serialization;
    exports tinynn.serialization.proto;
    exports tinynn.serialization.onnx;
    exports tinynn.serialization.onnx.proto;

    provides tinynn.runtime.model.ModelCodec with tinynn.serialization.ProtoModelCodec;
}
