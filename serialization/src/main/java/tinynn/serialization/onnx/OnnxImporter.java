package tinynn.serialization.onnx;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.init.Initializers;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.AvgPool2dLayer;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.ConvTranspose2dLayer;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Embedding;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.GlobalAvgPool2dLayer;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.LayerNorm;
import tinynn.ops.nn.MaxPool2dLayer;
import tinynn.ops.nn.Recurrent;
import tinynn.ops.nn.ReshapeLayer;
import tinynn.ops.nn.Standardize;
import tinynn.ops.PoolWindow;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizers;
import tinynn.serialization.onnx.OnnxTensors.Bad;
import tinynn.serialization.onnx.OnnxTensors.Value;
import tinynn.serialization.onnx.proto.AttributeProto;
import tinynn.serialization.onnx.proto.GraphProto;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.NodeProto;
import tinynn.serialization.onnx.proto.OperatorSetIdProto;
import tinynn.serialization.onnx.proto.StringStringEntryProto;
import tinynn.serialization.onnx.proto.TensorProto;
import tinynn.serialization.onnx.proto.TensorShapeProto;
import tinynn.serialization.onnx.proto.ValueInfoProto;

/**
 * Reads an ONNX model (a chain of the ops tinynn exports, as PyTorch, Keras converters and tinynn write them) into a
 * tinynn {@link Model}: every op becomes a layer, initializers its parameters; constants and the Shape → Gather →
 * Concat → Reshape arithmetic exporters emit around Flatten/Reshape are folded; Transpose/Squeeze/Unsqueeze around
 * the recurrent ops and GlobalAveragePool are followed as axis bookkeeping ({@link Flow}). Gate orders are mapped to
 * tinynn's (docs/rnn.md): LSTM iofc → ifgo, GRU zrh → rzn. Every failure is one {@link OnnxException} line naming the
 * node; unsupported ops are listed all at once.
 */
public final class OnnxImporter {
    /** Marks the batch dimension in folded shape tensors (Shape of an activation, Reshape targets). */
    static final long BATCH_DIM = Long.MIN_VALUE;
    /** The largest file read, as for .tnn files. */
    public static final long MAX_FILE_BYTES = 1L << 30;
    static final int MAX_NODES = 1_000_000;
    /** The largest non-batch input dimension and input example size accepted. */
    static final long MAX_DIM = 1 << 24;
    static final int MIN_OPSET = 13;

    private static final String ADVICE = "export the model with the ops listed in docs/onnx.md (opset 13 or later)";

    /** Ops that are folded when all their inputs are constant. */
    private static final Set<String> FOLDABLE = Set.of("Constant", "Identity", "Shape", "Gather", "Unsqueeze", "Squeeze",
            "Concat", "Cast", "Reshape", "Slice", "Mul", "Div", "Add", "Sub", "Transpose", "Flatten", "Sqrt", "ConstantOfShape",
            "Expand");
    private static final Set<String> LAYER_OPS = Set.of("Gemm", "MatMul", "Add", "Conv", "ConvTranspose", "MaxPool",
            "AveragePool", "GlobalAveragePool", "BatchNormalization", "LayerNormalization", "Flatten", "Reshape",
            "Transpose", "Squeeze", "Unsqueeze", "Dropout", "Identity", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu",
            "Gelu", "Sigmoid", "HardSigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax", "RNN", "LSTM", "GRU", "Gather",
            "Erf", "Mul", "Div", "Sub", "Pow", "Exp", "Log", "Neg", "Sqrt");
    private static final Map<String, String> SIMPLE = Map.of("Relu", "relu", "Selu", "selu", "Sigmoid", "sigmoid",
            "Tanh", "tanh", "Softplus", "softplus");

    private final String src;
    private final ModelProto model;
    private final GraphProto graph;
    private final Map<String, Value> consts = new HashMap<>();
    private final Map<String, Flow> flows = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Map<String, Integer> producer = new HashMap<>();
    private final boolean[] done;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Graph g = new Graph();
    private Node cur;
    private int nextId = 1;
    private int opset;
    private int[] inputDims;
    private boolean intInput;

    private OnnxImporter(ModelProto model, String src) {
        this.model = model;
        this.graph = model.getGraph();
        this.src = src;
        this.done = new boolean[graph.getNodeCount()];
    }

    /** Whether {@code file} is an ONNX model: by its extension, or by its first byte (ModelProto's ir_version tag). */
    public static boolean isOnnx(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) return true;
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x08;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads and imports an ONNX file. */
    public static Model read(Path file, Backend backend) {
        String src = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new OnnxException(src, "cannot read the file (" + e.getMessage() + ")", "check the path");
        }
        if (size > MAX_FILE_BYTES) {
            throw new OnnxException(src, "the file has " + size + " bytes, more than the " + MAX_FILE_BYTES + " tinynn reads",
                    "use a smaller model");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OnnxException(src, "cannot read the file (" + e.getMessage() + ")", "check the path");
        }
        return fromBytes(bytes, src, backend);
    }

    /** Imports the bytes of an ONNX ModelProto; {@code source} names it in errors. */
    public static Model fromBytes(byte[] bytes, String source, Backend backend) {
        String problem = tinynn.serialization.WireCheck.problem(bytes, ModelProto.getDescriptor());
        if (problem != null) {
            throw new OnnxException(source, "not a valid ONNX model: " + problem + " (the file is truncated or corrupt)",
                    "re-export the model");
        }
        ModelProto m;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(64);
            m = ModelProto.parseFrom(in);
        } catch (IOException | RuntimeException e) {
            throw new OnnxException(source, "not a valid ONNX model (" + e.getMessage() + ")", "re-export the model", e);
        }
        return fromProto(m, source, backend);
    }

    /** Imports a parsed ModelProto. */
    public static Model fromProto(ModelProto m, String source, Backend backend) {
        String src = source == null || source.isEmpty() ? "<onnx>" : source;
        try {
            return new OnnxImporter(m, src).run(backend);
        } catch (Bad e) {
            throw new OnnxException(src, e.getMessage(), ADVICE);
        } catch (OnnxException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new OnnxException(src, "cannot import the model (" + e + ")", ADVICE, e);
        }
    }

    private Model run(Backend backend) {
        if (!model.hasGraph()) throw new Bad("the file has no graph (is it an ONNX model?)");
        checkOpset();
        if (graph.getNodeCount() > MAX_NODES) throw new Bad("the graph has " + graph.getNodeCount() + " nodes, more than " + MAX_NODES);
        checkSupported();
        for (TensorProto t : graph.getInitializerList()) {
            consts.put(t.getName(), OnnxTensors.decode(t, "initializer '" + t.getName() + "'"));
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            for (String in : n.getInputList()) if (!in.isEmpty()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            for (String out : n.getOutputList()) if (!out.isEmpty()) producer.putIfAbsent(out, i);
        }
        input();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            if (!done[i]) node(i);
        }
        if (graph.getOutputCount() != 1) {
            throw new Bad("the graph has " + graph.getOutputCount() + " outputs; tinynn imports models with one output");
        }
        String out = graph.getOutput(0).getName();
        Flow f = flows.get(out);
        if (f == null) throw new Bad("the graph output '" + out + "' is not computed from the input");
        materialize(f, "graph output '" + out + "'");
        if (layers.isEmpty()) throw new Bad("the graph computes no layer");
        if (intInput && !(layers.getFirst() instanceof Embedding)) {
            throw new Bad("the graph input is integer but its first layer is not an embedding lookup (Gather)");
        }
        return build(backend);
    }

    private void checkOpset() {
        opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) opset = (int) Math.min(o.getVersion(), Integer.MAX_VALUE);
        }
        if (opset < 0) throw new Bad("the model imports no ai.onnx opset");
        if (opset < MIN_OPSET) throw new Bad("the model uses opset " + opset + "; tinynn imports opset " + MIN_OPSET + " and later");
    }

    private void checkSupported() {
        List<String> bad = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        for (NodeProto n : graph.getNodeList()) {
            boolean ok = (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
                    && (LAYER_OPS.contains(n.getOpType()) || FOLDABLE.contains(n.getOpType()));
            if (!ok) {
                String op = (n.getDomain().isEmpty() ? "" : n.getDomain() + ".") + n.getOpType();
                bad.add(op + " (node '" + n.getName() + "')");
                kinds.add(op);
            }
        }
        if (!bad.isEmpty()) {
            throw new Bad("unsupported ONNX op" + (kinds.size() > 1 ? "s " : " ") + String.join(", ", kinds) + " in " + bad.size()
                    + " node" + (bad.size() > 1 ? "s: " : ": ") + String.join(", ", bad));
        }
    }

    /** The one graph input that is not an initializer: its shape, batch first. */
    private void input() {
        ValueInfoProto in = null;
        for (ValueInfoProto v : graph.getInputList()) {
            if (consts.containsKey(v.getName())) continue;
            if (in != null) throw new Bad("the graph has several inputs ('" + in.getName() + "', '" + v.getName() + "'); tinynn imports models with one");
            in = v;
        }
        if (in == null) throw new Bad("the graph has no input");
        String what = "graph input '" + in.getName() + "'";
        if (!in.getType().hasTensorType()) throw new Bad(what + " is not a tensor");
        int type = in.getType().getTensorType().getElemType();
        if (type != 1 && type != 7 && type != 6) throw new Bad(what + " has element type " + type + "; tinynn imports float inputs (or int64 token ids)");
        intInput = type != 1;
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        if (shape.getDimCount() < 2) throw new Bad(what + " has rank " + shape.getDimCount() + "; tinynn needs [batch, ...]");
        int[] dims = new int[shape.getDimCount() - 1];
        long total = 1;
        for (int i = 1; i < shape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (!d.hasDimValue() || d.getDimValue() < 1) {
                throw new Bad(what + " dimension " + i + " is " + (d.hasDimParam() ? "'" + d.getDimParam() + "'" : "unknown")
                        + "; tinynn needs every dimension but the batch fixed");
            }
            if (d.getDimValue() > MAX_DIM || (total *= d.getDimValue()) > MAX_DIM) {
                throw new Bad(what + " declares the shape " + dimsText(shape) + ", more than the " + MAX_DIM + " values per example tinynn accepts");
            }
            dims[i - 1] = (int) d.getDimValue();
        }
        inputDims = dims;
        int[] full = new int[dims.length + 1];
        full[0] = 1;
        System.arraycopy(dims, 0, full, 1, dims.length);
        cur = g.placeholder("input", DType.F32, full);
        flows.put(in.getName(), Flow.of(dims, nextId));
        nextId += dims.length;
    }

    private static String dimsText(TensorShapeProto s) {
        List<String> d = new ArrayList<>();
        for (TensorShapeProto.Dimension x : s.getDimList()) d.add(x.hasDimValue() ? String.valueOf(x.getDimValue()) : x.getDimParam());
        return d.toString();
    }

    // ---- one node ----

    private void node(int i) {
        NodeProto n = graph.getNode(i);
        for (String in : n.getInputList()) {
            if (in.isEmpty() || consts.containsKey(in) || flows.containsKey(in)) continue;
            Integer p = producer.get(in);
            if (p != null && p >= i) {
                throw new Bad(label(n) + " reads '" + in + "' before " + label(graph.getNode(p)) + " computes it (the graph has a cycle or is not in topological order)");
            }
            throw new Bad(label(n) + " reads '" + in + "', which is neither a graph input, an initializer nor the output of an earlier node (a missing initializer?)");
        }
        done[i] = true;
        boolean allConst = n.getInputList().stream().allMatch(s -> s.isEmpty() || consts.containsKey(s));
        if (n.getOpType().equals("Shape") && flows.containsKey(n.getInput(0))) {
            long[] d = flows.get(n.getInput(0)).dims(BATCH_DIM);
            consts.put(n.getOutput(0), new Value(new int[] {d.length}, null, d));
            return;
        }
        if (allConst && FOLDABLE.contains(n.getOpType())) {
            consts.put(n.getOutput(0), ConstFold.fold(n, this::input));
            return;
        }
        if (allConst) throw new Bad(label(n) + " computes on constants only; tinynn folds " + String.join(", ", new TreeSet<>(FOLDABLE)));
        List<String> data = new ArrayList<>();
        for (String in : n.getInputList()) if (flows.containsKey(in) && !data.contains(in)) data.add(in);
        if (data.size() != 1) throw new Bad(label(n) + " combines " + data.size() + " activations " + data + "; tinynn imports chains of layers");
        String x = data.getFirst();
        List<Integer> readers = live(x);
        if (readers.size() > 1) {
            done[i] = false; // part of the composite, which marks its nodes
            composite(x, readers);
            return;
        }
        Flow f = flows.get(x);
        Flow out = layer(n, f, x);
        String y = n.getOutput(0);
        if (out != null) flows.put(y, out);
    }

    /** The nodes not yet handled that read {@code name} as data (Shape nodes only read its shape). */
    private List<Integer> live(String name) {
        List<Integer> r = new ArrayList<>();
        for (int c : consumers.getOrDefault(name, List.of())) {
            if (!graph.getNode(c).getOpType().equals("Shape") && !r.contains(c)) r.add(c);
        }
        return r;
    }

    private Value input(String name) { return consts.get(name); }

    static String label(NodeProto n) {
        return n.getOpType() + " node '" + n.getName() + "'";
    }

    // ---- layers ----

    private Flow layer(NodeProto n, Flow f, String x) {
        String op = n.getOpType();
        Attrs a = new Attrs(n);
        switch (op) {
            case "Identity", "Dropout" -> {
                for (int k = 1; k < n.getOutputCount(); k++) {
                    if (!n.getOutput(k).isEmpty() && !live(n.getOutput(k)).isEmpty()) throw new Bad(label(n) + ": its mask output is used; tinynn drops dropout at inference");
                }
                return f;
            }
            case "Cast" -> {
                long to = a.i("to", 1);
                if (to != 1 && to != 6 && to != 7) throw new Bad(label(n) + " casts to type " + to + "; tinynn keeps activations float (token ids may be cast to int)");
                return f; // tinynn's token ids are floats holding integers: a cast to int64 before Gather changes nothing
            }
            case "Mul" -> {
                Flow sp = softplusBeta(n, f);
                if (sp != null) return sp;
            }
            case "Transpose" -> {
                long[] perm = a.ints("perm", null);
                int[] p = new int[f.rank()];
                for (int k = 0; k < p.length; k++) p[k] = perm == null ? p.length - 1 - k : (int) perm[k];
                Flow t = perm != null && perm.length != p.length ? null : f.transpose(p);
                if (t == null) throw new Bad(label(n) + " has perm " + Arrays.toString(perm) + " for a rank-" + f.rank() + " tensor");
                return t;
            }
            case "Squeeze", "Unsqueeze" -> {
                long[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? constInts(n, 1) : a.ints("axes", new long[0]);
                Flow t = op.equals("Squeeze") ? f.squeeze(axes) : f.unsqueeze(axes);
                if (t == null) throw new Bad(label(n) + " has axes " + Arrays.toString(axes) + " that do not fit the shape " + Arrays.toString(f.dims(-1)));
                return t;
            }
            case "Flatten" -> {
                Flow t = f.flatten((int) a.i("axis", 1));
                if (t == null) throw new Bad(label(n) + " has axis " + a.i("axis", 1) + " outside the shape");
                return reshapeOr(t, n, f, new long[] {BATCH_DIM, -1});
            }
            case "Reshape" -> {
                if (a.i("allowzero", 0) != 0) throw new Bad(label(n) + " has allowzero=1; tinynn imports allowzero=0");
                long[] target = resolve(n, f, constInts(n, 1));
                return reshapeOr(f.reshape(target), n, f, target);
            }
            case "RNN", "LSTM", "GRU" -> {
                return recurrent(n, a, f);
            }
            default -> { }
        }
        int[] act = materialize(f, label(n));
        return switch (op) {
            case "Gemm" -> gemm(n, a, act);
            case "MatMul" -> matmul(n, act);
            case "Conv" -> conv(n, a, act);
            case "ConvTranspose" -> convTranspose(n, a, act);
            case "MaxPool", "AveragePool" -> pool(n, a, act);
            case "GlobalAveragePool" -> {
                Flow p = add(n, new GlobalAvgPool2dLayer(), Map.of());
                // ONNX keeps [N, C, 1, 1]; tinynn's layer gives [N, C]: the unit axes are bookkeeping only.
                yield p.unsqueeze(new long[] {2, 3});
            }
            case "BatchNormalization" -> batchNorm(n, a, act);
            case "LayerNormalization" -> layerNorm(n, a, act);
            case "Relu", "Selu", "Sigmoid", "Tanh", "Softplus" -> add(n, Activation.of(SIMPLE.get(op)), Map.of());
            case "LeakyRelu" -> add(n, new Activation("leaky_relu", Map.of("alpha", (double) a.f("alpha", 0.01f))), Map.of());
            case "Elu" -> add(n, new Activation("elu", Map.of("alpha", (double) a.f("alpha", 1f))), Map.of());
            case "Gelu" -> add(n, new Activation("gelu", Map.of("approximate", a.s("approximate", "none"))), Map.of());
            case "HardSigmoid" -> {
                if (Math.abs(a.f("alpha", 0.2f) - 1 / 6.0) > 1e-6 || Math.abs(a.f("beta", 0.5f) - 0.5) > 1e-6) {
                    throw new Bad(label(n) + " has alpha " + a.f("alpha", 0.2f) + ", beta " + a.f("beta", 0.5f)
                            + "; tinynn's hard_sigmoid is PyTorch's (alpha 1/6, beta 0.5)");
                }
                yield add(n, Activation.of("hard_sigmoid"), Map.of());
            }
            case "PRelu" -> prelu(n, act);
            case "Softmax", "LogSoftmax" -> {
                long axis = a.i("axis", -1);
                if (axis != -1 && axis != act.length) throw new Bad(label(n) + " has axis " + axis + "; tinynn's softmax is over the last axis");
                yield add(n, Activation.of(op.equals("Softmax") ? "softmax" : "log_softmax"), Map.of());
            }
            case "Gather" -> embedding(n, a, x, act);
            case "Sub", "Div", "Add", "Mul" -> affine(n, x);
            default -> throw new Bad(label(n) + " is not supported on an activation here (tinynn imports it only as part of a layer pattern)");
        };
    }

    private static final Set<String> AFFINE = Set.of("Sub", "Div", "Add", "Mul");

    /**
     * A chain of Sub, Div, Add and Mul with scalar constants from x on (what tinynn's standardize and PyTorch's Normalize
     * export: Sub mean, Div std) is y = a·x + b: one standardize layer with mean −b/a and std 1/a.
     */
    private Flow affine(NodeProto n, String x) {
        double a = 1, b = 0;
        String in = x;
        String graphOut = graph.getOutput(0).getName();
        for (NodeProto cur = n; ; ) {
            double c = scalar(cur, in);
            if (Double.isNaN(c)) throw new Bad(label(cur) + " combines an activation with a tensor; tinynn imports it only with a scalar constant (as standardize)");
            boolean left = cur.getInput(0).equals(in);
            switch (cur.getOpType()) {
                case "Add" -> b += c;
                case "Sub" -> {
                    if (left) {
                        b -= c;
                    } else {
                        a = -a;
                        b = c - b;
                    }
                }
                case "Mul" -> {
                    a *= c;
                    b *= c;
                }
                default -> {
                    if (!left) throw new Bad(label(cur) + " divides a constant by the activation; tinynn imports elementwise affine maps only");
                    a /= c;
                    b /= c;
                }
            }
            done[index(cur)] = true;
            in = cur.getOutput(0);
            NodeProto next = only(in);
            if (in.equals(graphOut) || next == null || !AFFINE.contains(next.getOpType()) || Double.isNaN(scalar(next, in))) break;
            cur = next;
        }
        if (!(a > 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new Bad(label(n) + " scales the activation by " + a + "; tinynn imports an elementwise affine map as standardize, which needs a positive scale");
        }
        Flow out = add(n, new Standardize(-b / a, 1 / a), Map.of());
        flows.put(in, out);
        return out;
    }

    /** A Reshape or Flatten that the axis bookkeeping cannot follow (it splits an axis) becomes a reshape layer. */
    private Flow reshapeOr(Flow t, NodeProto n, Flow f, long[] target) {
        if (t != null) return t;
        int[] act = materialize(f, label(n));
        if (target[0] != BATCH_DIM) throw new Bad(label(n) + " moves the batch dimension; tinynn keeps it first");
        long total = 1;
        for (int d : act) total *= d;
        int[] shape = new int[target.length - 1];
        long known = 1;
        int infer = -1;
        for (int k = 1; k < target.length; k++) {
            if (target[k] == -1) infer = k - 1;
            else known *= (shape[k - 1] = (int) target[k]);
        }
        if (infer >= 0) shape[infer] = (int) (total / Math.max(known, 1));
        return add(n, shape.length == 1 ? new Flatten() : new ReshapeLayer(shape), Map.of());
    }

    /** A Reshape target with the batch marked {@link #BATCH_DIM}; 0 copies, −1 infers. */
    private long[] resolve(NodeProto n, Flow f, long[] t) {
        long[] in = f.dims(BATCH_DIM);
        long[] r = t.clone();
        int batch = -1, infer = -1;
        long known = 1, total = 1;
        for (long d : in) if (d != BATCH_DIM) total *= d;
        for (int k = 0; k < r.length; k++) {
            if (r[k] == 0) {
                if (k >= in.length) throw new Bad(label(n) + " copies dimension " + k + " of a rank-" + in.length + " tensor");
                r[k] = in[k];
            }
            if (r[k] == BATCH_DIM) {
                if (batch >= 0) throw new Bad(label(n) + " uses the batch size twice in its shape");
                batch = k;
            } else if (r[k] == -1) {
                if (infer >= 0) throw new Bad(label(n) + " has two -1 dimensions");
                infer = k;
            } else if (r[k] < 1 || r[k] > MAX_DIM * 16) {
                throw new Bad(label(n) + " has shape " + Arrays.toString(t) + " with an invalid dimension " + r[k]);
            } else known *= r[k];
        }
        if (batch < 0) {
            if (infer < 0 || known != total) {
                throw new Bad(label(n) + " reshapes to the fixed shape " + Arrays.toString(t) + "; tinynn needs the batch dimension dynamic (0, -1 or from Shape)");
            }
            r[infer] = BATCH_DIM;
        } else if (infer >= 0) {
            if (known == 0 || total % known != 0) throw new Bad(label(n) + " reshapes " + total + " values per example to " + Arrays.toString(t));
            r[infer] = total / known;
        } else if (known != total) {
            throw new Bad(label(n) + " reshapes " + total + " values per example to " + Arrays.toString(t));
        }
        return r;
    }

    /** The tinynn shape of a flow that must feed a layer; adds a reshape layer when ONNX has regrouped the axes. */
    private int[] materialize(Flow f, String what) {
        int[] tail = f.tail();
        if (tail == null) {
            throw new Bad(what + " gets a tensor whose axes are rearranged (" + Arrays.toString(f.dims(-1))
                    + ", batch -1) in a way tinynn's layers cannot express");
        }
        if (Arrays.equals(tail, f.act())) return tail;
        add(null, tail.length == 1 ? new Flatten() : new ReshapeLayer(tail), Map.of());
        return tail;
    }

    private Flow gemm(NodeProto n, Attrs a, int[] act) {
        if (a.i("transA", 0) != 0) throw new Bad(label(n) + " has transA=1; tinynn imports x·W");
        if (act.length != 1) throw new Bad(label(n) + " needs [N, K] input, got [N, " + join(act) + "]");
        Value w = weight(n, 1, 2);
        boolean tb = a.i("transB", 0) != 0;
        int k = w.dims()[tb ? 1 : 0], m = w.dims()[tb ? 0 : 1];
        if (k != act[0]) throw new Bad(label(n) + " has weight " + Arrays.toString(w.dims()) + " for " + act[0] + " input features");
        float[] wv = tb ? transpose(w.floats(), m, k) : w.floats().clone();
        float alpha = a.f("alpha", 1f), beta = a.f("beta", 1f);
        if (alpha != 1f) for (int i = 0; i < wv.length; i++) wv[i] *= alpha;
        float[] b = new float[m];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            float[] c = bias(n, 2, m);
            for (int i = 0; i < m; i++) b[i] = beta * c[i];
        }
        return add(n, new Dense(k, m), Map.of("w", wv, "b", b));
    }

    /** MatMul by a constant [K, M], with the following Add of a constant [M] as its bias. */
    private Flow matmul(NodeProto n, int[] act) {
        if (!consts.containsKey(n.getInput(1))) throw new Bad(label(n) + " multiplies by an activation; tinynn imports x·W with W an initializer");
        Value w = weight(n, 1, 2);
        int k = w.dims()[0], m = w.dims()[1];
        if (k != act[act.length - 1]) throw new Bad(label(n) + " has weight " + Arrays.toString(w.dims()) + " for " + act[act.length - 1] + " input features");
        float[] b = new float[m];
        List<Integer> next = live(n.getOutput(0));
        if (next.size() == 1) {
            NodeProto add = graph.getNode(next.getFirst());
            int other = add.getInputCount() == 2 ? (add.getInput(0).equals(n.getOutput(0)) ? 1 : 0) : -1;
            if (add.getOpType().equals("Add") && other >= 0 && consts.containsKey(add.getInput(other))) {
                b = bias(add, other, m);
                done[next.getFirst()] = true;
                Flow out = add(n, new Dense(k, m), Map.of("w", w.floats().clone(), "b", b));
                flows.put(add.getOutput(0), out);
                return out;
            }
        }
        return add(n, new Dense(k, m), Map.of("w", w.floats().clone(), "b", b));
    }

    private Flow conv(NodeProto n, Attrs a, int[] act) {
        if (act.length != 3) throw new Bad(label(n) + " needs [N, C, H, W] input, got [N, " + join(act) + "]; tinynn imports 2-D convolutions");
        Value w = weight(n, 1, 4);
        int[] wd = w.dims();
        int groups = (int) a.i("group", 1);
        if (groups < 1 || wd[1] * groups != act[0]) {
            throw new Bad(label(n) + " has weight " + Arrays.toString(wd) + " and group " + groups + " for " + act[0] + " input channels");
        }
        long[] k = a.ints("kernel_shape", new long[] {wd[2], wd[3]}), s = a.ints("strides", new long[] {1, 1}), d = a.ints("dilations", new long[] {1, 1});
        if (k.length != 2 || k[0] != wd[2] || k[1] != wd[3]) throw new Bad(label(n) + " has kernel_shape " + Arrays.toString(k) + " but weight " + Arrays.toString(wd));
        ConvPadding pad = padding(n, a, true);
        boolean hasBias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        Map<String, float[]> p = new HashMap<>();
        p.put("w", w.floats().clone());
        if (hasBias) p.put("b", bias(n, 2, wd[0]));
        return add(n, new Conv2dLayer(wd[0], wd[2], wd[3], (int) s[0], (int) s[1], pad, (int) d[0], (int) d[1], groups, hasBias,
                Conv2dLayer.DEFAULT_W_INIT, Initializers.zeros()), p);
    }

    private Flow convTranspose(NodeProto n, Attrs a, int[] act) {
        if (act.length != 3) throw new Bad(label(n) + " needs [N, C, H, W] input, got [N, " + join(act) + "]");
        if (a.has("output_shape")) throw new Bad(label(n) + " gives output_shape; tinynn imports pads and output_padding");
        Value w = weight(n, 1, 4);
        int[] wd = w.dims();
        int groups = (int) a.i("group", 1);
        if (groups < 1 || wd[0] != act[0]) throw new Bad(label(n) + " has weight " + Arrays.toString(wd) + " for " + act[0] + " input channels");
        long[] s = a.ints("strides", new long[] {1, 1}), d = a.ints("dilations", new long[] {1, 1}), op = a.ints("output_padding", new long[] {0, 0});
        ConvPadding pad = padding(n, a, false);
        boolean hasBias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        int out = wd[1] * groups;
        Map<String, float[]> p = new HashMap<>();
        p.put("w", w.floats().clone());
        if (hasBias) p.put("b", bias(n, 2, out));
        return add(n, new ConvTranspose2dLayer(out, wd[2], wd[3], (int) s[0], (int) s[1], pad, (int) op[0], (int) op[1], (int) d[0], (int) d[1],
                groups, hasBias, Conv2dLayer.DEFAULT_W_INIT, Initializers.zeros()), p);
    }

    private ConvPadding padding(NodeProto n, Attrs a, boolean sameOk) {
        String auto = a.s("auto_pad", "NOTSET");
        if (auto.equals("NOTSET")) {
            long[] p = a.ints("pads", new long[4]);
            if (p.length != 4) throw new Bad(label(n) + " has pads " + Arrays.toString(p) + "; tinynn imports 2-D ops");
            return ConvPadding.explicit((int) p[0], (int) p[1], (int) p[2], (int) p[3]);
        }
        if (auto.equals("VALID")) return ConvPadding.VALID;
        if (auto.equals("SAME_UPPER") && sameOk) return ConvPadding.SAME;
        throw new Bad(label(n) + " has auto_pad " + auto + "; tinynn imports NOTSET, VALID" + (sameOk ? " and SAME_UPPER" : ""));
    }

    private Flow pool(NodeProto n, Attrs a, int[] act) {
        if (act.length != 3) throw new Bad(label(n) + " needs [N, C, H, W] input, got [N, " + join(act) + "]");
        if (a.i("ceil_mode", 0) != 0) throw new Bad(label(n) + " has ceil_mode=1; tinynn pools in floor mode");
        long[] k = a.ints("kernel_shape", null);
        if (k == null || k.length != 2) throw new Bad(label(n) + " needs a 2-D kernel_shape");
        long[] s = a.ints("strides", new long[] {1, 1}), dil = a.ints("dilations", new long[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) throw new Bad(label(n) + " has dilations " + Arrays.toString(dil) + "; tinynn pools without dilation");
        if (!a.s("auto_pad", "NOTSET").equals("NOTSET") && !a.s("auto_pad", "").equals("VALID")) throw new Bad(label(n) + " has auto_pad " + a.s("auto_pad", ""));
        long[] p = a.ints("pads", new long[4]);
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && !live(n.getOutput(1)).isEmpty()) throw new Bad(label(n) + ": its Indices output is used");
        PoolWindow w = new PoolWindow((int) k[0], (int) k[1], (int) s[0], (int) s[1], (int) p[0], (int) p[1], (int) p[2], (int) p[3]);
        return add(n, n.getOpType().equals("MaxPool") ? new MaxPool2dLayer(w) : new AvgPool2dLayer(w, a.i("count_include_pad", 0) != 0), Map.of());
    }

    private Flow batchNorm(NodeProto n, Attrs a, int[] act) {
        if (act.length != 1 && act.length != 3) throw new Bad(label(n) + " needs [N, F] or [N, C, H, W] input, got [N, " + join(act) + "]");
        if (a.i("training_mode", 0) != 0) throw new Bad(label(n) + " is in training mode; export the model for inference");
        int c = act[0];
        double momentum = 1 - a.f("momentum", 0.9f);
        return add(n, new BatchNorm(Math.min(Math.max(momentum, 0), 1), a.f("epsilon", 1e-5f)),
                Map.of("gamma", vector(n, 1, c), "beta", vector(n, 2, c), "running_mean", vector(n, 3, c), "running_var", vector(n, 4, c)));
    }

    private Flow layerNorm(NodeProto n, Attrs a, int[] act) {
        long axis = a.i("axis", -1);
        if (axis < 0) axis += act.length + 1;
        if (axis < 1 || axis > act.length) throw new Bad(label(n) + " normalises from axis " + a.i("axis", -1) + " of [N, " + join(act)
                + "]; tinynn's layer_norm normalises over trailing axes after the batch");
        int size = 1;
        for (int d = (int) axis - 1; d < act.length; d++) size *= act[d];
        float[] beta = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(n, 2, size) : new float[size];
        int dims = axis == 1 ? 0 : act.length + 1 - (int) axis;
        return add(n, new LayerNorm(a.f("epsilon", 1e-5f), dims), Map.of("gamma", vector(n, 1, size), "beta", beta));
    }

    private Flow prelu(NodeProto n, int[] act) {
        Value s = constant(n, 1);
        int c = act[0];
        float[] v = new float[c];
        if (s.size() == 1) Arrays.fill(v, s.floats()[0]);
        else if (s.size() == c) v = s.floats().clone();
        else throw new Bad(label(n) + " has slope " + Arrays.toString(s.dims()) + "; tinynn's prelu has one slope per channel (" + c + ")");
        return add(n, Activation.of("prelu"), Map.of("slope", v));
    }

    /** Gather(table, ids) on the graph input: an embedding layer. */
    private Flow embedding(NodeProto n, Attrs a, String x, int[] act) {
        if (a.i("axis", 0) != 0 || !x.equals(n.getInput(1)) || !consts.containsKey(n.getInput(0))) {
            throw new Bad(label(n) + " is not an embedding lookup Gather(table, ids, axis=0)");
        }
        Value t = weight(n, 0, 2);
        return add(n, new Embedding(t.dims()[0], t.dims()[1]), Map.of("table", t.floats().clone()));
    }

    /** softplus with beta ≠ 1 as exporters write it: Mul(x, β) → Softplus → Div(·, β); null if n does not start one. */
    private Flow softplusBeta(NodeProto n, Flow f) {
        String x = n.getInput(0).equals(n.getInput(1)) ? null : flows.containsKey(n.getInput(0)) ? n.getInput(0) : n.getInput(1);
        double beta = x == null ? Double.NaN : scalar(n, x);
        NodeProto sp = only(n.getOutput(0));
        NodeProto div = sp == null || !sp.getOpType().equals("Softplus") ? null : only(sp.getOutput(0));
        if (Double.isNaN(beta) || div == null || !div.getOpType().equals("Div") || !div.getInput(0).equals(sp.getOutput(0))
                || Math.abs(scalar(div, sp.getOutput(0)) - beta) > 1e-6 * Math.abs(beta)) {
            return null;
        }
        materialize(f, label(n));
        done[index(sp)] = true;
        done[index(div)] = true;
        Flow out = add(n, new Activation("softplus", Map.of("beta", beta)), Map.of());
        flows.put(div.getOutput(0), out);
        return out;
    }

    // ---- recurrent ----

    private Flow recurrent(NodeProto n, Attrs a, Flow f) {
        String op = n.getOpType();
        int layout = (int) a.i("layout", 0);
        Flow batchMajor = layout == 0 ? f.transpose(new int[] {1, 0, 2}) : f;
        if (f.rank() != 3 || batchMajor == null) throw new Bad(label(n) + " needs a [T, N, F] (layout 0) or [N, T, F] (layout 1) input");
        int[] act = materialize(batchMajor, label(n));
        if (act.length != 2) throw new Bad(label(n) + " needs [N, T, F] sequences");
        int hidden = (int) a.i("hidden_size", -1);
        String direction = a.s("direction", "forward");
        if (!direction.equals("forward") && !direction.equals("bidirectional")) throw new Bad(label(n) + " runs direction " + direction + "; tinynn imports forward and bidirectional");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        if (a.has("clip")) throw new Bad(label(n) + " clips its cell; tinynn's cells do not clip");
        if (a.i("input_forget", 0) != 0) throw new Bad(label(n) + " couples the input and forget gates; tinynn does not");
        String kind = switch (op) { case "LSTM" -> "lstm"; case "GRU" -> "gru"; default -> "rnn"; };
        int gates = switch (kind) { case "lstm" -> 4; case "gru" -> 3; default -> 1; };
        String activation = "tanh";
        List<String> acts = a.strings("activations");
        List<String> dflt = switch (kind) {
            case "lstm" -> List.of("Sigmoid", "Tanh", "Tanh");
            case "gru" -> List.of("Sigmoid", "Tanh");
            default -> List.of("Tanh");
        };
        if (kind.equals("rnn") && !acts.isEmpty() && acts.getFirst().equals("Relu")) activation = "relu";
        else if (!acts.isEmpty()) {
            for (int d = 0; d < acts.size(); d++) {
                if (!acts.get(d).equals(dflt.get(d % dflt.size()))) throw new Bad(label(n) + " uses activations " + acts + "; tinynn's " + kind + " uses " + dflt);
            }
        }
        if (kind.equals("gru") && a.i("linear_before_reset", 0) != 1) {
            throw new Bad(label(n) + " has linear_before_reset=0; tinynn's gru is PyTorch's (linear_before_reset=1)");
        }
        for (int k = 4; k < n.getInputCount(); k++) {
            if (n.getInput(k).isEmpty()) continue;
            if (k == 4) throw new Bad(label(n) + " has sequence_lens; tinynn runs every sequence to its full length");
            Value v = constant(n, k);
            for (float z : v.floats()) if (z != 0) throw new Bad(label(n) + " has a non-zero " + (k == 7 ? "peephole P" : "initial state") + "; tinynn starts from zeros");
        }
        Value w = weight(n, 1, 3), r = weight(n, 2, 3);
        int f0 = act[1];
        if (hidden < 1 || !Arrays.equals(w.dims(), new int[] {dirs, gates * hidden, f0}) || !Arrays.equals(r.dims(), new int[] {dirs, gates * hidden, hidden})) {
            throw new Bad(label(n) + " has W " + Arrays.toString(w.dims()) + ", R " + Arrays.toString(r.dims()) + "; expected ["
                    + dirs + ", " + gates * hidden + ", " + f0 + "] and [" + dirs + ", " + gates * hidden + ", " + hidden + "] for hidden_size " + hidden);
        }
        int gh = gates * hidden;
        float[] b = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? vector(n, 3, dirs * 2 * gh) : new float[dirs * 2 * gh];
        // ONNX gate blocks → ours, the inverse of the export's order: lstm [i f g o] ← iofc (0, 2, 3, 1); gru [r z n] ← zrh (1, 0, 2).
        int[] block = OnnxRecurrent.oursFromOnnx(switch (kind) {
            case "lstm" -> tinynn.ops.Recurrence.Kind.LSTM;
            case "gru" -> tinynn.ops.Recurrence.Kind.GRU;
            default -> tinynn.ops.Recurrence.Kind.RNN_TANH;
        });
        Map<String, float[]> p = new HashMap<>();
        for (int d = 0; d < dirs; d++) {
            String sfx = d == 0 ? "" : "_reverse";
            p.put("w_ih" + sfx, gatesT(w.floats(), d, gh, f0, hidden, block));
            p.put("w_hh" + sfx, gatesT(r.floats(), d, gh, hidden, hidden, block));
            float[] wb = reorder(b, d * 2 * gh, hidden, block), rb = reorder(b, d * 2 * gh + gh, hidden, block);
            if (kind.equals("gru")) {
                p.put("b_ih" + sfx, wb);
                p.put("b_hh" + sfx, rb);
            } else {
                for (int i = 0; i < gh; i++) wb[i] += rb[i];
                p.put("b" + sfx, wb);
            }
        }
        String yName = n.getOutputCount() > 0 ? n.getOutput(0) : "", hName = n.getOutputCount() > 1 ? n.getOutput(1) : "";
        boolean seq = !yName.isEmpty() && !live(yName).isEmpty() || yName.equals(graph.getOutput(0).getName());
        boolean last = !hName.isEmpty() && (!live(hName).isEmpty() || hName.equals(graph.getOutput(0).getName()));
        if (n.getOutputCount() > 2 && !n.getOutput(2).isEmpty() && !live(n.getOutput(2)).isEmpty()) throw new Bad(label(n) + ": its cell state Y_c is used; tinynn's layer outputs h");
        if (seq == last) throw new Bad(label(n) + ": exactly one of Y (the sequence) and Y_h (the last state) must be used");
        Recurrent layer = switch (kind) {
            case "lstm" -> Recurrent.lstm(hidden, seq, dirs == 2);
            case "gru" -> Recurrent.gru(hidden, seq, dirs == 2);
            default -> Recurrent.rnn(hidden, activation, seq, dirs == 2);
        };
        Flow out = add(n, layer, p);
        // The layer gives [N, T, D·H] or [N, D·H]; ONNX's Y is [T, D, N, H] (layout 1: [N, T, D, H]), Y_h [D, N, H] ([N, D, H]).
        List<Flow.Axis> c = out.canon();
        Flow.Axis nAx = c.getFirst();
        int t = act[0];
        Flow.Axis tAx = new Flow.Axis(nextId++, t), dAx = new Flow.Axis(nextId++, dirs), hAx = new Flow.Axis(nextId++, hidden);
        List<Flow.Axis> canon = seq ? List.of(nAx, tAx, dAx, hAx) : List.of(nAx, dAx, hAx);
        List<List<Flow.Axis>> groups = new ArrayList<>();
        List<Flow.Axis> order = seq ? (layout == 0 ? List.of(tAx, dAx, nAx, hAx) : List.of(nAx, tAx, dAx, hAx))
                : (layout == 0 ? List.of(dAx, nAx, hAx) : List.of(nAx, dAx, hAx));
        for (Flow.Axis ax : order) groups.add(List.of(ax));
        Flow result = new Flow(out.act(), canon, groups);
        flows.put(seq ? yName : hName, result);
        return null;
    }

    /** Direction d of an ONNX [D, G·H, cols] weight as our [cols, G·H], gate blocks reordered. */
    private static float[] gatesT(float[] w, int d, int gh, int cols, int hidden, int[] block) {
        float[] out = new float[cols * gh];
        int base = d * gh * cols;
        for (int ours = 0; ours < block.length; ours++) {
            for (int j = 0; j < hidden; j++) {
                int row = block[ours] * hidden + j;
                for (int k = 0; k < cols; k++) out[k * gh + ours * hidden + j] = w[base + row * cols + k];
            }
        }
        return out;
    }

    private static float[] reorder(float[] b, int offset, int hidden, int[] block) {
        float[] out = new float[block.length * hidden];
        for (int ours = 0; ours < block.length; ours++) System.arraycopy(b, offset + block[ours] * hidden, out, ours * hidden, hidden);
        return out;
    }

    // ---- composites: a value read by several nodes ----

    /** silu = x·σ(x), mish = x·tanh(softplus(x)), gelu = x·(1 + erf(x/√2))/2 (the forms exporters emit for them). */
    private void composite(String x, List<Integer> readers) {
        Flow f = flows.get(x);
        NodeProto first = graph.getNode(readers.getFirst());
        String what = "'" + x + "' (read by " + readers.stream().map(i -> label(graph.getNode(i))).reduce((p, q) -> p + ", " + q).orElse("") + ")";
        NodeProto p = graph.getNode(readers.get(0)), q = graph.getNode(readers.get(readers.size() - 1));
        List<Integer> used = new ArrayList<>(readers);
        String type = null;
        String out = null;
        // silu: Sigmoid(x), Mul(x, s)
        if (readers.size() != 2) {
            // only the numeric identification below
        } else if (p.getOpType().equals("Sigmoid") && q.getOpType().equals("Mul") && q.getInputList().contains(p.getOutput(0))) {
            type = "silu";
            out = q.getOutput(0);
        } else if (p.getOpType().equals("Softplus")) {
            NodeProto t = only(p.getOutput(0));
            if (t != null && t.getOpType().equals("Tanh") && q.getOpType().equals("Mul") && q.getInputList().contains(t.getOutput(0))) {
                used.add(graph.getNodeList().indexOf(t));
                type = "mish";
                out = q.getOutput(0);
            }
        } else if ((p.getOpType().equals("Div") || p.getOpType().equals("Mul")) && q.getOpType().equals("Mul")) {
            out = gelu(x, p, q, used);
            if (out != null) type = "gelu";
        }
        Map<String, Object> attrs = new HashMap<>();
        if (type == null) {
            List<Integer> region = region(x, readers);
            Map<String, Object> found = null;
            // A closing scale (gelu's ·0.5 after x·(1 + …)) may follow the point where the branches join: extend.
            for (int more = 0; region != null && more < 4; more++) {
                found = Elementwise.identify(region.stream().map(graph::getNode).toList(), x, consts);
                if (found != null) break;
                NodeProto next = only(graph.getNode(region.getLast()).getOutput(0));
                if (next == null || !Elementwise.OPS.contains(next.getOpType())) break;
                region.add(index(next));
            }
            if (found == null) {
                throw new Bad("activation " + what + " branches; tinynn imports chains of layers (branches only as silu, mish or gelu)");
            }
            attrs.putAll(found);
            type = (String) attrs.remove("type");
            used = region;
            out = graph.getNode(region.getLast()).getOutput(0);
        }
        materialize(f, label(first));
        for (int i : used) done[i] = true;
        flows.put(out, add(first, new Activation(type, attrs), Map.of()));
    }

    /**
     * The elementwise nodes from x to the first value that alone carries on (every node reading x included), in graph
     * order; null if a node on the way is not elementwise with scalar constants, or the region grows past 32 nodes.
     */
    private List<Integer> region(String x, List<Integer> readers) {
        List<Integer> region = new ArrayList<>();
        Set<String> vals = new LinkedHashSet<>(List.of(x));
        String graphOut = graph.getOutput(0).getName();
        for (int i = readers.getFirst(); i < graph.getNodeCount() && region.size() < 32; i++) {
            NodeProto n = graph.getNode(i);
            if (done[i] || n.getInputList().stream().noneMatch(vals::contains)) continue;
            if (!Elementwise.OPS.contains(n.getOpType()) || n.getOutputCount() != 1) return null;
            for (String in : n.getInputList()) {
                if (!vals.contains(in) && (!consts.containsKey(in) || consts.get(in).size() != 1)) return null;
            }
            region.add(i);
            vals.add(n.getOutput(0));
            boolean closed = region.containsAll(readers);
            for (String v : vals) {
                if (v.equals(n.getOutput(0))) continue;
                if (v.equals(graphOut)) closed = false;
                for (int c : live(v)) if (!region.contains(c)) closed = false;
            }
            if (closed) return region;
        }
        return null;
    }

    /** Div(x, √2) or Mul(x, 1/√2) → Erf → Add 1 → Mul with x (or with x/2) → Mul 0.5; the output, or null. */
    private String gelu(String x, NodeProto scale, NodeProto mul, List<Integer> used) {
        double c = scalar(scale, x);
        boolean div = scale.getOpType().equals("Div");
        if (Double.isNaN(c) || Math.abs((div ? c : 1 / c) - Math.sqrt(2)) > 1e-3) return null;
        NodeProto erf = only(scale.getOutput(0));
        if (erf == null || !erf.getOpType().equals("Erf")) return null;
        NodeProto add = only(erf.getOutput(0));
        if (add == null || !add.getOpType().equals("Add") || Math.abs(scalar(add, erf.getOutput(0)) - 1) > 1e-6) return null;
        NodeProto join = only(add.getOutput(0));
        if (join == null || !join.getOpType().equals("Mul")) return null;
        used.addAll(List.of(index(erf), index(add), index(join)));
        if (join == mul || join.getName().equals(mul.getName()) && index(join) == index(mul)) {
            NodeProto half = only(mul.getOutput(0));
            if (half == null || !half.getOpType().equals("Mul") || Math.abs(scalar(half, mul.getOutput(0)) - 0.5) > 1e-6) return null;
            used.add(index(half));
            return half.getOutput(0);
        }
        // x/2 first: Mul(x, 0.5) then Mul(x/2, 1 + erf)
        if (Math.abs(scalar(mul, x) - 0.5) > 1e-6 || !join.getInputList().contains(mul.getOutput(0))) return null;
        return join.getOutput(0);
    }

    private int index(NodeProto n) { return graph.getNodeList().indexOf(n); }

    /** The one node reading {@code name}, or null. */
    private NodeProto only(String name) {
        List<Integer> r = live(name);
        return r.size() == 1 ? graph.getNode(r.getFirst()) : null;
    }

    /** The constant scalar operand of a binary node whose other operand is {@code other}; NaN if there is none. */
    private double scalar(NodeProto n, String other) {
        if (n.getInputCount() != 2) return Double.NaN;
        String c = n.getInput(0).equals(other) ? n.getInput(1) : n.getInput(1).equals(other) ? n.getInput(0) : null;
        Value v = c == null ? null : consts.get(c);
        if (v == null || v.size() != 1) return Double.NaN;
        return v.isInt() ? v.longs()[0] : v.floats()[0];
    }

    // ---- building ----

    /** Adds a layer (null node: a reshape the importer inserted) with its parameters by suffix; the new flow. */
    private Flow add(NodeProto n, Layer layer, Map<String, float[]> values) {
        String name = layer.type() + layers.size();
        String what = n == null ? "layer " + name : label(n);
        int before = g.parameters().size();
        try {
            cur = layer.build(cur, name);
        } catch (RuntimeException e) {
            throw new Bad(what + ": " + e.getMessage());
        }
        List<Node> created = g.parameters().subList(before, g.parameters().size());
        Set<String> given = new LinkedHashSet<>(values.keySet());
        for (Node p : created) {
            String suffix = p.name().substring(name.length() + 1);
            float[] v = values.get(suffix);
            if (v == null || v.length != p.shape().elements()) {
                throw new Bad(what + ": parameter " + suffix + " has " + (v == null ? "no value" : v.length + " values") + " but the " + layer.type()
                        + " layer needs " + p.shape());
            }
            params.put(p.name(), Tensor.wrap(p.shape(), v));
            given.remove(suffix);
        }
        if (!given.isEmpty()) throw new Bad(what + ": the " + layer.type() + " layer has no parameter " + given);
        layers.add(layer);
        int[] dims = cur.shape().dims();
        Flow f = Flow.of(Arrays.copyOfRange(dims, 1, dims.length), nextId);
        nextId += dims.length;
        return f;
    }

    private Model build(Backend backend) {
        Net net = new Net(layers);
        // The loss only matters for fine-tuning: tinynn's exporter records it; other producers get cross-entropy on the output.
        String lossName = "softmax_cross_entropy";
        for (StringStringEntryProto e : model.getMetadataPropsList()) if (e.getKey().equals(OnnxExporter.LOSS_KEY)) lossName = e.getValue();
        tinynn.ops.loss.Loss loss;
        try {
            loss = Losses.create(lossName, Map.of());
        } catch (RuntimeException e) {
            throw new Bad("metadata " + OnnxExporter.LOSS_KEY + " names an unknown loss '" + lossName + "'");
        }
        Model m = new Model(net, loss, Optimizers.create("adam", Map.of()), backend, DType.F32, 0);
        params.forEach(m.parameters()::put);
        int[] full = new int[inputDims.length + 1];
        full[0] = 1;
        System.arraycopy(inputDims, 0, full, 1, inputDims.length);
        m.build(Shape.of(full));
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!e.getKey().equals(OnnxExporter.LOSS_KEY)) m.metadata().put(e.getKey(), e.getValue());
        }
        StringBuilder shape = new StringBuilder("-1");
        for (int d : inputDims) shape.append(',').append(d);
        m.metadata().putIfAbsent("input_shape", shape.toString());
        m.metadata().putIfAbsent("imported_from", "onnx" + (model.getProducerName().isEmpty() ? "" : " (" + model.getProducerName() + ")"));
        return m;
    }

    // ---- constants ----

    private Value constant(NodeProto n, int k) {
        if (n.getInputCount() <= k || n.getInput(k).isEmpty()) throw new Bad(label(n) + " lacks input " + k);
        Value v = consts.get(n.getInput(k));
        if (v == null) throw new Bad(label(n) + " input " + k + " ('" + n.getInput(k) + "') must be an initializer or constant");
        if (v.isInt()) throw new Bad(label(n) + " input " + k + " ('" + n.getInput(k) + "') must be float");
        return v;
    }

    private Value weight(NodeProto n, int k, int rank) {
        Value v = constant(n, k);
        if (v.dims().length != rank) throw new Bad(label(n) + " input " + k + " ('" + n.getInput(k) + "') has shape " + Arrays.toString(v.dims()) + "; expected rank " + rank);
        return v;
    }

    /** A constant of exactly {@code size} elements (any shape with that many), e.g. a bias [M] or [1, M]. */
    private float[] vector(NodeProto n, int k, int size) {
        Value v = constant(n, k);
        if (v.size() != size) throw new Bad(label(n) + " input " + k + " ('" + n.getInput(k) + "') has shape " + Arrays.toString(v.dims()) + " but " + size + " values are needed");
        return v.floats().clone();
    }

    private float[] bias(NodeProto n, int k, int m) {
        Value v = constant(n, k);
        if (v.size() == 1) {
            float[] b = new float[m];
            Arrays.fill(b, v.floats()[0]);
            return b;
        }
        return vector(n, k, m);
    }

    private long[] constInts(NodeProto n, int k) {
        if (n.getInputCount() <= k || !consts.containsKey(n.getInput(k))) throw new Bad(label(n) + " input " + k + " must be a constant shape");
        Value v = consts.get(n.getInput(k));
        if (!v.isInt()) throw new Bad(label(n) + " input " + k + " must be int64");
        return v.longs();
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    private static String join(int[] d) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < d.length; i++) s.append(i == 0 ? "" : ", ").append(d[i]);
        return s.toString();
    }
}
