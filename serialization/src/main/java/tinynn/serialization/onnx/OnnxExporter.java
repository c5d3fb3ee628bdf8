package tinynn.serialization.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tinynn.graph.Graph;
import tinynn.graph.Mode;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.serialization.ModelFileWriter;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.OperatorSetIdProto;
import tinynn.serialization.onnx.proto.StringStringEntryProto;
import tinynn.serialization.onnx.proto.TensorProto;
import tinynn.serialization.onnx.proto.TensorShapeProto;
import tinynn.serialization.onnx.proto.TypeProto;
import tinynn.serialization.onnx.proto.ValueInfoProto;

/**
 * Exports a model's inference computation as an ONNX {@code ModelProto} (docs/onnx.md): IR version 8, default-domain
 * opset 17, float32 tensors, graph input "input" and output "output" (the last layer's output: the logits of a
 * cross-entropy model) with the batch dimension named "N". The layer list is the source, as it is for the model file:
 * each layer maps to its ONNX ops ({@link OnnxLayers}, recurrent ones in {@link OnnxRecurrent}), its parameters become
 * initializers, dropout disappears and batch_norm takes its running statistics. The model's metadata map (class
 * labels, input normalisation, ...) goes to {@code metadata_props} and is summarised in {@code doc_string}.
 */
public final class OnnxExporter {

    /** The ONNX IR version written (ONNX 1.10+, ORT 1.10+). */
    public static final int IR_VERSION = 8;
    /** The default-domain opset the graph uses: LayerNormalization exists from 17. */
    public static final int OPSET = 17;
    /** The name of the graph's batch dimension. */
    public static final String BATCH = "N";
    /** The metadata key holding the model's loss, so an importer can train the model again with it. */
    public static final String LOSS_KEY = "tinynn_loss";

    private OnnxExporter() {}

    /** One layer as the export sees it: its name, the layer, and the shapes (batch 1) it takes and gives. */
    record Traced(String name, Layer layer, Shape in, Shape out) {}

    /**
     * The ONNX model for {@code model}; {@code source} names it in errors (the .tnn file it came from, say).
     *
     * @throws OnnxException naming the first layer that ONNX cannot express, or when the input shape is unknown
     */
    public static ModelProto export(Model model, String source) {
        Objects.requireNonNull(model, "model");
        int[] dims = inputDims(model, source);
        List<Traced> traced = trace(model, dims);
        OnnxGraph g = new OnnxGraph();
        g.proto.setName("tinynn");
        String x = "input";
        g.fresh(x);
        OnnxLayers layers = new OnnxLayers(g, model.parameters(), source);
        for (Traced t : traced) x = layers.add(t, x);
        if (x.equals("input")) g.node("Identity", "output", List.of(x));
        String last = x.equals("input") ? g.proto.getNode(g.proto.getNodeCount() - 1).getOutput(0) : x;
        g.renameOutput(last, "output");
        Shape out = traced.getLast().out();
        g.proto.addInput(valueInfo("input", dims));
        g.proto.addOutput(valueInfo("output", out.dims()));

        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("tinynn")
                .setProducerVersion("0.1.0")
                .setDocString(docString(model, traced, dims, out))
                .setGraph(g.proto);
        Map<String, String> meta = new TreeMap<>(model.metadata());
        meta.putIfAbsent(LOSS_KEY, model.loss().type());
        for (Map.Entry<String, String> e : meta.entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    /** {@link #export(Model, String)} with the model called "model" in errors. */
    public static ModelProto export(Model model) { return export(model, "model"); }

    /**
     * Exports {@code model} to {@code file} atomically (temporary file, flush, rename, as model files are written).
     *
     * @throws OnnxException when the model cannot be expressed in ONNX
     * @throws tinynn.serialization.ModelFileException when the file cannot be written
     */
    public static void write(Model model, Path file, String source) {
        ModelProto proto = export(model, source);
        ModelFileWriter.writeAtomically(file, ".onnx", proto::writeTo);
    }

    /** Each layer's input and output shape at batch 1, from the layers' own inference build (so "same" paddings resolve as they do in tinynn). */
    static List<Traced> trace(Model model, int[] inputDims) {
        Net net = model.net();
        Graph graph = new Graph(Mode.INFERENCE);
        Node x = graph.placeholder("input", model.dtype(), inputDims);
        List<Traced> out = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            Node y = net.layers().get(i).build(x, net.names().get(i));
            out.add(new Traced(net.names().get(i), net.layers().get(i), x.shape(), y.shape()));
            x = y;
        }
        for (Node p : graph.parameters()) model.parameters().of(p);
        return out;
    }

    /** The model's input shape with batch 1: the shape it was built or loaded with, else a leading dense layer's. */
    private static int[] inputDims(Model model, String source) {
        Shape s = model.inputShape();
        int[] dims;
        if (s != null) dims = s.dims();
        else if (model.net().layers().getFirst() instanceof Dense d && d.in() >= 0) dims = new int[] {1, d.in()};
        else throw new OnnxException(source, "the model's input shape is unknown (it was never built or run)",
                    "call model.build(inputShape) before exporting, or export a model loaded from a .tnn file");
        dims[0] = 1;
        return dims;
    }

    private static ValueInfoProto valueInfo(String name, int[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (int i = 1; i < dims.length; i++) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static String docString(Model model, List<Traced> traced, int[] in, Shape out) {
        StringBuilder b = new StringBuilder("tinynn model: input ").append(shape(in)).append(" -> output ").append(shape(out.dims()));
        String loss = model.loss().type();
        if (loss.endsWith("_cross_entropy")) {
            b.append(" (logits: the loss ").append(loss).append(" applies the ").append(loss, 0, loss.indexOf('_')).append(')');
        }
        b.append("\nlayers:");
        for (Traced t : traced) b.append(' ').append(t.name());
        b.append("\nloss: ").append(loss);
        for (Map.Entry<String, String> e : new TreeMap<>(model.metadata()).entrySet()) {
            b.append('\n').append(e.getKey()).append(": ").append(e.getValue());
        }
        return b.toString();
    }

    private static String shape(int[] dims) {
        StringBuilder b = new StringBuilder("[").append(BATCH);
        for (int i = 1; i < dims.length; i++) b.append(", ").append(dims[i]);
        return b.append(']').toString();
    }

    /** A parameter's values as float32 (a float64 model's are rounded: ONNX Runtime's CPU kernels are float32). */
    static float[] floats(Tensor t) {
        if (t.isF32()) return t.f32();
        double[] d = t.f64();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
