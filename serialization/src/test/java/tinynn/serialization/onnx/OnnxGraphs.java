package tinynn.serialization.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import tinynn.serialization.onnx.proto.AttributeProto;
import tinynn.serialization.onnx.proto.GraphProto;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.NodeProto;
import tinynn.serialization.onnx.proto.OperatorSetIdProto;
import tinynn.serialization.onnx.proto.TensorProto;

/**
 * Test support: ONNX graphs written directly through the onnx protobuf messages (not by tinynn's exporter), in the
 * forms PyTorch's exporter emits: initializers in raw_data, Shape → Gather → Unsqueeze → Concat → Reshape around
 * flatten, Transpose around the recurrent ops.
 */
final class OnnxGraphs {
    final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final Random rnd;
    private int count;

    OnnxGraphs(long seed) { rnd = new Random(seed); }

    static TensorProto floats(String name, float[] v, long... dims) {
        byte[] raw = new byte[v.length * 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    static TensorProto longs(String name, long[] v, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        for (long x : v) t.addInt64Data(x);
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    /** A random initializer of this shape, values N(0, scale²). */
    String weight(double scale, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * scale);
        String name = "w" + count++;
        g.addInitializer(floats(name, v, dims));
        return name;
    }

    String positive(long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 + rnd.nextDouble());
        String name = "w" + count++;
        g.addInitializer(floats(name, v, dims));
        return name;
    }

    String ints(long... v) {
        String name = "c" + count++;
        g.addInitializer(longs(name, v, v.length));
        return name;
    }

    String scalar(float v) {
        String name = "s" + count++;
        g.addInitializer(floats(name, new float[] {v}));
        return name;
    }

    static AttributeProto attr(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        switch (v) {
            case Integer i -> a.setType(AttributeProto.AttributeType.INT).setI(i);
            case Long l -> a.setType(AttributeProto.AttributeType.INT).setI(l);
            case Float f -> a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
            case String s -> a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
            case long[] ls -> { a.setType(AttributeProto.AttributeType.INTS); for (long l : ls) a.addInts(l); }
            case String[] ss -> { a.setType(AttributeProto.AttributeType.STRINGS); for (String s : ss) a.addStrings(ByteString.copyFromUtf8(s)); }
            default -> throw new IllegalArgumentException(String.valueOf(v));
        }
        return a.build();
    }

    /** Adds a node with one output (named after it); attrs are name, value pairs. */
    String node(String op, String[] inputs, Object... attrs) {
        String out = op.toLowerCase() + count++;
        node(op, inputs, new String[] {out}, attrs);
        return out;
    }

    void node(String op, String[] inputs, String[] outputs, Object... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("/" + op + "_" + count++);
        for (String i : inputs) n.addInput(i);
        for (String o : outputs) n.addOutput(o);
        for (int i = 0; i < attrs.length; i += 2) n.addAttribute(attr((String) attrs[i], attrs[i + 1]));
        g.addNode(n);
    }

    static String[] in(String... names) { return names; }

    /** PyTorch's x.view(x.size(0), -1): Shape → Gather(0) → Unsqueeze → Concat with [-1] → Reshape. */
    String viewFlat(String x) {
        String shape = node("Shape", in(x));
        String n0 = node("Gather", in(shape, ints0()), "axis", 0);
        String un = node("Unsqueeze", in(n0, ints(0)));
        String cat = node("Concat", in(un, ints(-1)), "axis", 0);
        return node("Reshape", in(x, cat));
    }

    private String ints0() {
        String name = "c" + count++;
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(0));
        return name;
    }

    ModelProto model(String output, Object... inputDims) {
        g.addInput(OnnxProtoTest.floatInput("input", inputDims));
        g.addOutput(tinynn.serialization.onnx.proto.ValueInfoProto.newBuilder().setName(output).setType(tinynn.serialization.onnx.proto.TypeProto.newBuilder()
                .setTensorType(tinynn.serialization.onnx.proto.TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("hand-built")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }
}
