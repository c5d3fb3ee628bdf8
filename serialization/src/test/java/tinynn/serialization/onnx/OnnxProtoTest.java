package tinynn.serialization.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tinynn.serialization.onnx.proto.GraphProto;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.NodeProto;
import tinynn.serialization.onnx.proto.OperatorSetIdProto;
import tinynn.serialization.onnx.proto.TensorProto;
import tinynn.serialization.onnx.proto.TensorShapeProto;
import tinynn.serialization.onnx.proto.TypeProto;
import tinynn.serialization.onnx.proto.ValueInfoProto;

/** Our onnx.proto subset uses ONNX's public field numbers: a model built with it runs in ONNX Runtime. */
class OnnxProtoTest {

    static ValueInfoProto floatInput(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    @Test
    void oneReluNodeRunsInOnnxRuntime() {
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setProducerName("tinynn-test")
                .setGraph(GraphProto.newBuilder()
                        .setName("relu")
                        .addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu0").addInput("input").addOutput("output"))
                        .addInput(floatInput("input", "N", 3))
                        .addOutput(floatInput("output", "N", 3)))
                .build();
        OrtRun.Result r = OrtRun.run(model.toByteArray(), new float[] {-1f, 0f, 2f, 3f, -4f, 0.5f}, 2, 3);
        assertArrayEquals(new long[] {2, 3}, r.shape());
        assertArrayEquals(new float[] {0f, 0f, 2f, 3f, 0f, 0.5f}, r.data());
    }

    @Test
    void initializersWithRawDataAndFloatDataRunInOnnxRuntime() {
        // Add(input, c) with c as raw_data and Mul by d as float_data: both tensor encodings reach ORT intact.
        byte[] raw = new byte[12];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {1f, 2f, 3f});
        TensorProto c = TensorProto.newBuilder().setName("c").addDims(3).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(raw)).build();
        TensorProto d = TensorProto.newBuilder().setName("d").addDims(3).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(10f).addFloatData(100f).addFloatData(1000f).build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(GraphProto.newBuilder()
                        .addNode(NodeProto.newBuilder().setOpType("Add").addInput("input").addInput("c").addOutput("s"))
                        .addNode(NodeProto.newBuilder().setOpType("Mul").addInput("s").addInput("d").addOutput("output"))
                        .addInitializer(c).addInitializer(d)
                        .addInput(floatInput("input", "N", 3))
                        .addOutput(floatInput("output", "N", 3)))
                .build();
        OrtRun.Result r = OrtRun.run(model.toByteArray(), new float[] {0f, 0f, 0f}, 1, 3);
        assertArrayEquals(new float[] {10f, 200f, 3000f}, r.data());
        assertEquals(3, r.shape()[1]);
    }
}
