package tinynn.serialization;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Header;
import tinynn.serialization.proto.Layer;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Node;
import tinynn.serialization.proto.Optimizer;
import tinynn.serialization.proto.Shape;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;
import tinynn.serialization.proto.TrainingState;

/**
 * Checks the invariants documented in {@code model.proto} on a decoded {@link Model}. Runs in time linear in
 * the message size and allocates nothing proportional to tensor sizes (sizes are computed, not materialised).
 */
public final class ModelValidator {

    /** One violated invariant, classified for the reader's error message. */
    record Problem(Reason reason, String what, String advice) {}

    private static final String REEXPORT =
            "the file was written by a faulty or incompatible program; re-export the model";
    private static final String NOT_A_MODEL = "check that the file is a tinynn model (" + ModelFormat.FILE_EXTENSION + ")";

    private ModelValidator() {}

    /**
     * Throws if {@code model} is not a valid tinynn model as it would be written to a file (the {@code crc32c}
     * field is ignored: writers set it).
     *
     * @throws IllegalArgumentException naming the first violated invariant
     */
    public static void validate(Model model) {
        Problem p = check(model.toBuilder().clearCrc32C().build());
        if (p != null) {
            throw new IllegalArgumentException("invalid tinynn model: " + p.what());
        }
    }

    /** The first violated invariant, or {@code null} if the model is valid. */
    static Problem check(Model model) {
        Problem p = checkHeader(model);
        if (p != null) {
            return p;
        }
        if (model.getCrc32C() != 0) {
            return invalid("the checksum field appears again inside the file body");
        }
        p = checkLimits(model);
        if (p != null) {
            return p;
        }
        Map<String, Tensor> params = new HashMap<>();
        List<Tensor> list = model.getParametersList();
        for (int i = 0; i < list.size(); i++) {
            Tensor t = list.get(i);
            if (t.getName().isEmpty()) {
                return invalid("parameter #" + i + " has no name");
            }
            if (params.putIfAbsent(t.getName(), t) != null) {
                return invalid("parameter " + q(t.getName()) + " appears more than once");
            }
            String err = tensorError(t);
            if (err != null) {
                return invalid("parameter " + q(t.getName()) + " " + err);
            }
        }
        // Architecture-only files (no parameters at all) may name parameters they do not contain.
        boolean requireParams = !params.isEmpty();
        String err = graphError(model.getGraph(), params.keySet(), requireParams);
        if (err == null && model.hasLayers()) {
            err = layersError(model.getLayers().getLayersList(), params.keySet(), requireParams);
            if (err == null && model.getLayers().getDtype() == DType.UNRECOGNIZED) {
                err = "the layers have unknown dtype " + model.getLayers().getDtypeValue();
            }
        }
        if (err == null && model.hasTraining()) {
            err = trainingError(model.getTraining(), params.keySet());
        }
        return err == null ? null : invalid(err);
    }

    private static Problem checkHeader(Model model) {
        if (!model.hasHeader()) {
            return new Problem(Reason.NOT_A_MODEL, "the file has no tinynn header (not a tinynn model file)", NOT_A_MODEL);
        }
        Header h = model.getHeader();
        if (!ModelFormat.MAGIC.equals(h.getMagic())) {
            return new Problem(Reason.NOT_A_MODEL, "header magic is " + q(h.getMagic()) + ", expected "
                    + q(ModelFormat.MAGIC) + " (not a tinynn model file)", NOT_A_MODEL);
        }
        int version = h.getFormatVersion(); // uint32: compare unsigned
        if (version == 0) {
            return invalid("the header has no format_version");
        }
        if (Integer.compareUnsigned(version, ModelFormat.FORMAT_VERSION) > 0) {
            return new Problem(Reason.TOO_NEW, "written by a newer tinynn (format " + Integer.toUnsignedString(version)
                    + " > " + ModelFormat.FORMAT_VERSION + ")", "upgrade tinynn");
        }
        return null;
    }

    /** Depth limits, checked before anything walks the layers or the graph. */
    private static Problem checkLimits(Model model) {
        return limitProblem(model.getLayers().getLayersCount(), model.getGraph().getNodesCount());
    }

    static Problem limitProblem(int layers, int nodes) {
        if (layers > ModelFormat.MAX_LAYERS) {
            return new Problem(Reason.TOO_LARGE, String.format(Locale.ROOT,
                    "the layer list has %,d layers, more than the %,d a tinynn model may have", layers, ModelFormat.MAX_LAYERS),
                    "use a network of at most " + ModelFormat.MAX_LAYERS + " layers");
        }
        if (nodes > ModelFormat.MAX_GRAPH_NODES) {
            return new Problem(Reason.TOO_LARGE, String.format(Locale.ROOT,
                    "the graph has %,d nodes, more than the %,d a tinynn model may have", nodes, ModelFormat.MAX_GRAPH_NODES),
                    "use a network of at most " + ModelFormat.MAX_LAYERS + " layers");
        }
        return null;
    }

    private static String graphError(Graph graph, Set<String> params, boolean requireParams) {
        Set<Integer> seen = new HashSet<>();
        for (Node n : graph.getNodesList()) {
            // Labels are built on a problem only: a deep graph has hundreds of thousands of nodes.
            if (n.getOp().isEmpty()) {
                return nodeLabel(n) + " has no op";
            }
            for (int in : n.getInputsList()) {
                if (!seen.contains(in)) {
                    return nodeLabel(n) + " has input " + Integer.toUnsignedString(in)
                            + ", which is not an earlier node (nodes must be listed in topological order)";
                }
            }
            if (!seen.add(n.getId())) {
                return "node id " + Integer.toUnsignedString(n.getId()) + " is used more than once";
            }
            if (n.hasShape()) {
                for (long d : n.getShape().getDimsList()) {
                    if (d < -1) {
                        return nodeLabel(n) + " has dimension " + d + " in its shape (only -1 = unknown may be negative)";
                    }
                }
            }
            if (n.getDtype() == DType.UNRECOGNIZED) {
                return nodeLabel(n) + " has unknown dtype " + n.getDtypeValue();
            }
            if (requireParams && n.getOp().equals("parameter") && !params.contains(n.getName())) {
                return nodeLabel(n) + " is a parameter, but the file has no parameter tensor of that name";
            }
        }
        String err = bindingsError("input", graph.getInputsList(), seen);
        return err != null ? err : bindingsError("output", graph.getOutputsList(), seen);
    }

    private static String nodeLabel(Node n) {
        return "node " + Integer.toUnsignedString(n.getId()) + (n.getName().isEmpty() ? "" : " (" + q(n.getName()) + ")");
    }

    private static String bindingsError(String kind, List<Binding> bindings, Set<Integer> nodes) {
        Set<String> roles = new HashSet<>();
        for (Binding b : bindings) {
            if (b.getRole().isEmpty()) {
                return "a graph " + kind + " has no role name";
            }
            if (!roles.add(b.getRole())) {
                return "graph " + kind + " role " + q(b.getRole()) + " appears more than once";
            }
            if (!nodes.contains(b.getNodeId())) {
                return "graph " + kind + " " + q(b.getRole()) + " refers to node "
                        + Integer.toUnsignedString(b.getNodeId()) + ", which does not exist";
            }
        }
        return null;
    }

    private static String layersError(List<Layer> layers, Set<String> params, boolean requireParams) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l.getType().isEmpty()) {
                return layerLabel(i, l) + " has no type";
            }
            if (!l.getName().isEmpty() && !names.add(l.getName())) {
                return "layer name " + q(l.getName()) + " is used more than once";
            }
            if (requireParams) {
                for (String p : l.getParamsList()) {
                    if (!params.contains(p)) {
                        return layerLabel(i, l) + " refers to parameter " + q(p) + ", which the file does not contain";
                    }
                }
            }
        }
        return null;
    }

    private static String layerLabel(int i, Layer l) {
        return "layer #" + i + (l.getName().isEmpty() ? "" : " (" + q(l.getName()) + ")");
    }

    private static String trainingError(TrainingState t, Set<String> params) {
        if (t.getEpoch() < 0) {
            return "training epoch is negative (" + t.getEpoch() + ")";
        }
        if (t.getGlobalStep() < 0) {
            return "training global_step is negative (" + t.getGlobalStep() + ")";
        }
        if (t.hasLrSchedule() && t.getLrSchedule().getPosition() < 0) {
            return "learning-rate schedule position is negative (" + t.getLrSchedule().getPosition() + ")";
        }
        if (!t.hasOptimizer()) {
            return null;
        }
        Optimizer o = t.getOptimizer();
        if (o.getType().isEmpty()) {
            return "the optimizer has no type";
        }
        if (o.getStep() < 0) {
            return "optimizer step is negative (" + o.getStep() + ")";
        }
        Set<String> seen = new HashSet<>();
        for (Slot s : o.getSlotsList()) {
            String label = "optimizer slot " + q(s.getSlot()) + " of parameter " + q(s.getParam());
            if (s.getSlot().isEmpty()) {
                return "an optimizer slot of parameter " + q(s.getParam()) + " has no slot name";
            }
            if (!params.contains(s.getParam())) {
                return label + " refers to a parameter the file does not contain";
            }
            if (!seen.add(s.getParam() + '\u0000' + s.getSlot())) {
                return label + " appears more than once";
            }
            if (!s.hasValue()) {
                return label + " has no value";
            }
            String err = tensorError(s.getValue());
            if (err != null) {
                return label + " " + err;
            }
        }
        return null;
    }

    /** What is wrong with a tensor (phrased to follow its label), or null. */
    private static String tensorError(Tensor t) {
        if (t.getDtype() == DType.DTYPE_UNSPECIFIED) {
            return "has no dtype (must be F32 or F64)";
        }
        if (t.getDtype() == DType.UNRECOGNIZED) {
            return "has unknown dtype " + t.getDtypeValue() + " (written by a newer tinynn?)";
        }
        Shape shape = t.getShape();
        for (long d : shape.getDimsList()) {
            if (d < 0) {
                return "has negative dimension " + d + " in shape " + shape.getDimsList();
            }
        }
        long need = Tensors.byteCount(shape, t.getDtype());
        if (need < 0) {
            return "has shape " + shape.getDimsList() + ", whose size overflows 64 bits";
        }
        if (need != t.getData().size()) {
            return "has " + t.getData().size() + " data bytes but shape " + shape.getDimsList() + " of "
                    + t.getDtype() + " needs " + need;
        }
        return null;
    }

    private static Problem invalid(String what) {
        return new Problem(Reason.INVALID, what, REEXPORT);
    }

    /** A name from the file, quoted, shortened and stripped of control characters so messages stay one line. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("'");
        int limit = 60;
        for (int i = 0; i < s.length(); i++) {
            if (i == limit) {
                b.append("...");
                break;
            }
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.append('\'').toString();
    }
}
