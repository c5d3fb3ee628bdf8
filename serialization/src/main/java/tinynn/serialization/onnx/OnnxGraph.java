package tinynn.serialization.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tinynn.serialization.onnx.proto.AttributeProto;
import tinynn.serialization.onnx.proto.GraphProto;
import tinynn.serialization.onnx.proto.NodeProto;
import tinynn.serialization.onnx.proto.TensorProto;

/**
 * An ONNX graph under construction: nodes in topological order, initializers (float32 as little-endian raw_data,
 * int64 shape vectors as int64_data), and value names kept unique. The layer mappings call {@link #node} with the
 * current value's name and get the new value's name back.
 */
final class OnnxGraph {
    final GraphProto.Builder proto = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    /** {@code base}, or {@code base_2}, {@code base_3}, ... when taken: every value and node name is unique. */
    String fresh(String base) {
        String name = base;
        for (int i = 2; !names.add(name); i++) name = base + "_" + i;
        return name;
    }

    /** A float32 initializer of {@code dims} holding {@code data} (row-major); returns its name. */
    String floats(String name, long[] dims, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        String n = fresh(name);
        TensorProto.Builder t = TensorProto.newBuilder().setName(n).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        proto.addInitializer(t);
        return n;
    }

    /** A float32 scalar initializer (shape []), for the constants of a decomposed activation. */
    String scalar(String name, double value) {
        return floats(name, new long[0], new float[] {(float) value});
    }

    /** A 1-D int64 initializer, e.g. Reshape's target shape. */
    String int64s(String name, long... values) {
        String n = fresh(name);
        TensorProto.Builder t = TensorProto.newBuilder().setName(n).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        proto.addInitializer(t);
        return n;
    }

    /** Adds node {@code op} named {@code node} (made unique) on {@code inputs}; returns its one output's name. */
    String node(String op, String node, List<String> inputs, AttributeProto... attrs) {
        String out = fresh(node + "/out");
        nodeWithOutputs(op, node, inputs, List.of(out), attrs);
        return out;
    }

    /** A node with several outputs ("" leaves an optional output out). */
    void nodeWithOutputs(String op, String node, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(node)).addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) n.addAttribute(a);
        proto.addNode(n);
    }

    /** Renames the value {@code from} (the output of the last node that produced it) to {@code to}. */
    void renameOutput(String from, String to) {
        for (int i = proto.getNodeCount() - 1; i >= 0; i--) {
            NodeProto.Builder n = proto.getNodeBuilder(i);
            for (int j = 0; j < n.getOutputCount(); j++) {
                if (n.getOutput(j).equals(from)) {
                    n.setOutput(j, to);
                    names.add(to);
                    return;
                }
            }
        }
        throw new IllegalStateException("no node produces " + from);
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, double v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) v).build();
    }

    static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8)).build();
    }

    static AttributeProto ints(String name, int... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int x : v) a.addInts(x);
        return a.build();
    }

    static AttributeProto strings(String name, String... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String x : v) a.addStrings(ByteString.copyFrom(x, StandardCharsets.UTF_8));
        return a.build();
    }
}
