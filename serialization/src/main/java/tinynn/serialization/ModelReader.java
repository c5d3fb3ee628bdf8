package tinynn.serialization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;
import tinynn.runtime.Backend;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizers;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.EpochMetrics;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Layer;
import tinynn.serialization.proto.Layers;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Node;
import tinynn.serialization.proto.Optimizer;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;
import tinynn.serialization.proto.TrainingState;

/**
 * Rebuilds a live {@link tinynn.runtime.model.Model} from a {@code tinynn.v1.Model} message (as
 * {@link ModelWriter} writes it).
 *
 * <p>The network is rebuilt from the layer list (no reflection); every parameter and optimizer slot is checked
 * against what the rebuilt network needs, the stored graph must be exactly the one the layers build
 * ({@link GraphCheck}: the layer list is authoritative), and everything is restored; every failure is a
 * {@link ModelFileException} naming the source.
 */
public final class ModelReader {

    private static final String REEXPORT = "re-save the model with tinynn, or check the program that wrote it";

    private ModelReader() {}

    /**
     * Rebuilds a model from a validated file message (as returned by {@link ModelFileReader#read}). Without training
     * state the model gets a default Adam optimizer, epoch 0 and no history.
     *
     * @param source how to name the file in error messages
     * @throws ModelFileException (reason {@code INVALID}) if the file has no layer list, names an unknown layer,
     *     loss or optimizer, its parameters or optimizer state do not fit the layers, or its graph is not the one
     *     the layers build
     */
    public static tinynn.runtime.model.Model fromProto(Model file, String source, Backend backend) {
        return fromProto(file, source, backend, true);
    }

    /**
     * As {@link #fromProto(Model, String, Backend)}; with {@code trainingState} false the model is built for
     * inference: the training state is checked exactly as for a full load (so every reader accepts and rejects
     * the same files) but not restored, the optimizer slots are not decoded, and the model gets a default Adam
     * optimizer, epoch 0 and no history.
     *
     * @throws ModelFileException (reason {@code INVALID}) as {@link #fromProto(Model, String, Backend)}
     */
    public static tinynn.runtime.model.Model fromProto(Model file, String source, Backend backend,
            boolean trainingState) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backend, "backend");
        String src = source == null || source.isEmpty() ? Causes.STREAM : source;
        try {
            return rebuild(file, src, backend, trainingState);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw invalid(src, "cannot rebuild the model (" + Causes.describe(e) + ")", e);
        }
    }

    private static tinynn.runtime.model.Model rebuild(Model file, String src, Backend backend, boolean trainingState) {
        ModelValidator.Problem problem = ModelValidator.check(file.toBuilder().clearCrc32C().build());
        if (problem != null) {
            throw new ModelFileException(problem.reason(), src, problem.what(), problem.advice());
        }
        if (!file.hasLayers() || file.getLayers().getLayersCount() == 0) {
            throw new ModelFileException(Reason.INVALID, src, "the file has no layer list (it was written by another"
                    + " program, or is a parameters-only checkpoint)", "tinynn rebuilds models from the layers section;"
                    + " re-export the model with tinynn");
        }
        Layers layersMsg = file.getLayers();
        List<tinynn.ops.nn.Layer> layers = new ArrayList<>();
        for (int i = 0; i < layersMsg.getLayersCount(); i++) {
            Layer l = layersMsg.getLayers(i);
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, AttrValue> e : l.getAttrsMap().entrySet()) {
                if (e.getValue().getValueCase() == AttrValue.ValueCase.VALUE_NOT_SET) {
                    continue; // a value kind added by a newer writer: unknown, ignored (see AttrValue in model.proto)
                }
                Object v = AttrValues.layerValue(e.getValue());
                if (v == null) {
                    throw invalid(src, layerLabel(i, l) + " attribute " + ModelValidator.q(e.getKey()) + " = "
                            + e.getValue().getI() + " is out of range", null);
                }
                attrs.put(e.getKey(), v);
            }
            try {
                layers.add(tinynn.ops.nn.Layers.create(l.getType(), attrs));
            } catch (RuntimeException e) {
                throw invalid(src, layerLabel(i, l) + ": " + Causes.describe(e), e);
            }
        }
        Net net = new Net(layers);
        Loss loss = loss(file, src);
        tinynn.graph.DType dtype = modelDtype(file, src);
        int[] dims = inputDims(file.getGraph(), src);

        ForwardGraph built;
        Graph layersGraph;
        try {
            built = ForwardGraph.of(net, loss, dtype, dims);
            int[] two = dims.clone();
            two[0] = 2;
            layersGraph = ForwardGraph.export(built, ForwardGraph.of(net, loss, dtype, two), loss);
        } catch (RuntimeException e) {
            throw invalid(src, "the layers do not fit the input shape " + Arrays.toString(dims) + " (" + Causes.describe(e)
                    + ")", e);
        }

        // Parameters: exactly the ones the rebuilt network creates, with their shapes and dtype.
        Map<String, Tensor> stored = new LinkedHashMap<>();
        for (Tensor t : file.getParametersList()) {
            stored.put(t.getName(), t);
        }
        Map<String, tinynn.runtime.Tensor> values = new LinkedHashMap<>();
        for (tinynn.graph.Node p : built.graph().parameters()) {
            Tensor t = stored.remove(p.name());
            if (t == null) {
                throw invalid(src, "parameter " + ModelValidator.q(p.name()) + " is missing (the layers need "
                        + p.dtype() + p.shape() + ")", null);
            }
            values.put(p.name(), runtimeTensor(t, p.shape(), p.dtype(), "parameter " + ModelValidator.q(p.name()), src));
        }
        if (!stored.isEmpty()) {
            throw invalid(src, "parameter " + ModelValidator.q(stored.keySet().iterator().next())
                    + " is not used by any layer", null);
        }

        TrainingState training = file.hasTraining() ? file.getTraining() : null;
        tinynn.runtime.optim.Optimizer optimizer = optimizer(training, built, src, trainingState);
        int epoch = training == null ? 0 : toInt(training.getEpoch(), "training epoch", src);
        List<tinynn.runtime.model.EpochMetrics> history = new ArrayList<>();
        for (EpochMetrics m : training == null ? List.<EpochMetrics>of() : training.getHistoryList()) {
            history.add(new tinynn.runtime.model.EpochMetrics(toInt(m.getEpoch(), "history epoch", src),
                    m.getTrainLoss(), m.hasTestLoss() ? m.getTestLoss() : Double.NaN,
                    m.hasTestAccuracy() ? m.getTestAccuracy() : Double.NaN, m.getSeconds(),
                    m.hasValLoss() ? m.getValLoss() : Double.NaN, m.hasValAccuracy() ? m.getValAccuracy() : Double.NaN));
        }

        long fileSeed = training != null && training.hasRng() ? training.getRng().getSeed() : 0L;
        ResumeState resume = training == null ? null : ResumeState.read(training, file.getMetadataMap(), fileSeed, src);

        // The layers are authoritative: the stored graph must be exactly the one they build.
        String differs = GraphCheck.difference(file.getGraph(), layersGraph);
        if (differs != null) {
            throw invalid(src, differs + " (the graph must be the one the layer list builds)", null);
        }

        if (!trainingState) {
            training = null;
            optimizer = Optimizers.create("adam", Map.of());
        }
        long seed = training != null && training.hasRng() ? training.getRng().getSeed() : 0L;
        tinynn.runtime.model.Model model = new tinynn.runtime.model.Model(net, loss, optimizer, backend, dtype, seed);
        values.forEach(model.parameters()::put);
        dims[0] = 1;
        model.build(tinynn.graph.Shape.of(dims));
        if (training != null) {
            model.epoch(epoch);
            model.globalStep(training.getGlobalStep());
            model.history().addAll(history);
            resume.restore(model);
            if (training.hasLrSchedule() && !training.getLrSchedule().getType().isEmpty()) {
                model.schedule(schedule(training.getLrSchedule(), optimizer.lr(), src));
            }
            if (training.hasMonitor()) model.monitorState(monitorState(training.getMonitor(), epoch, src));
            if (training.hasControl()) model.trainingControl(TrainingControls.fromProto(training.getControl(), src));
        }
        model.metadata().putAll(file.getMetadataMap());
        if (resume != null && resume.legacy()) {
            LegacyRunMetadata.KEYS.forEach(model.metadata()::remove);
        }
        return model;
    }

    /** The saved schedule with its state; its base rate is the optimizer's when the file records none. */
    private static tinynn.runtime.optim.schedule.Scheduler schedule(tinynn.serialization.proto.LrSchedule s, double lr, String src) {
        try {
            tinynn.runtime.optim.schedule.Scheduler sc = tinynn.runtime.optim.schedule.Scheduler.create(s.getType(), s.getParamsMap(),
                    s.getMilestonesList(), s.getWarmupSteps(), s.getBaseLr() > 0 ? s.getBaseLr() : lr);
            sc.schedule().restore(s.getStateMap());
            return sc;
        } catch (IllegalArgumentException e) {
            throw invalid(src, "learning-rate " + e.getMessage(), e);
        }
    }

    private static tinynn.runtime.model.MonitorState monitorState(tinynn.serialization.proto.MonitorState m, int epoch, String src) {
        if (m.getMetric().isEmpty()) throw invalid(src, "training monitor has no metric", null);
        if (m.getWait() < 0 || m.getWait() > epoch) {
            throw invalid(src, "training monitor wait is " + m.getWait() + " (0.." + epoch + " for " + epoch + " epochs)", null);
        }
        if (m.getBestEpoch() < -1 || m.getBestEpoch() >= epoch) {
            throw invalid(src, "training monitor best_epoch is " + m.getBestEpoch() + " (-1.." + (epoch - 1) + ")", null);
        }
        return new tinynn.runtime.model.MonitorState(m.getMetric(), m.hasBest() ? m.getBest() : Double.NaN,
                (int) m.getBestEpoch(), (int) m.getWait());
    }

    private static String layerLabel(int i, Layer l) {
        return "layer #" + i + (l.getName().isEmpty() ? "" : " (" + ModelValidator.q(l.getName()) + ")");
    }

    private static Loss loss(Model file, String src) {
        String name = file.getLayers().getLoss();
        if (name.isEmpty()) {
            name = graphLoss(file.getGraph());
        }
        try {
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (var a : file.getLayers().getLossAttrsMap().entrySet()) attrs.put(a.getKey(), lossAttr(a.getValue()));
            return Losses.create(name, attrs);
        } catch (RuntimeException e) {
            throw invalid(src, Causes.describe(e), e);
        }
    }

    private static Object lossAttr(AttrValue v) {
        return switch (v.getValueCase()) {
            case I -> (double) v.getI();
            case F -> v.getF();
            case FLOATS -> v.getFloats().getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
            default -> v.toString().strip();
        };
    }

    /** The loss named by the graph's "loss" output, for files whose layer list does not record it. */
    private static String graphLoss(Graph g) {
        for (Binding b : g.getOutputsList()) {
            if (b.getRole().equals(ModelFormat.ROLE_LOSS)) {
                for (Node n : g.getNodesList()) {
                    if (n.getId() == b.getNodeId()) {
                        if (n.getOp().equals(ModelFormat.LOSS_OP) && n.getAttrsOrDefault("type", AttrValue.getDefaultInstance()).hasS()) {
                            return n.getAttrsOrThrow("type").getS();
                        }
                        return n.getOp();
                    }
                }
            }
        }
        return "softmax_cross_entropy"; // not recorded anywhere: irrelevant for inference, tinynn's default
    }

    private static tinynn.graph.DType modelDtype(Model file, String src) {
        DType d = file.getLayers().getDtype();
        if (d == DType.DTYPE_UNSPECIFIED) {
            Node in = inputNode(file.getGraph());
            d = in != null ? in.getDtype() : DType.DTYPE_UNSPECIFIED;
        }
        if (d == DType.DTYPE_UNSPECIFIED && file.getParametersCount() > 0) {
            d = file.getParameters(0).getDtype();
        }
        return switch (d) {
            case F64 -> tinynn.graph.DType.F64;
            case F32, DTYPE_UNSPECIFIED -> tinynn.graph.DType.F32;
            default -> throw invalid(src, "the layers have unknown dtype " + file.getLayers().getDtypeValue(), null);
        };
    }

    private static Node inputNode(Graph g) {
        for (Binding b : g.getInputsList()) {
            if (b.getRole().equals(ModelFormat.ROLE_INPUT)) {
                for (Node n : g.getNodesList()) {
                    if (n.getId() == b.getNodeId()) {
                        return n;
                    }
                }
            }
        }
        return null;
    }

    /** The input shape from the graph's "input" placeholder; the batch dimension (-1) comes back as 1. */
    private static int[] inputDims(Graph g, String src) {
        Node in = inputNode(g);
        if (in == null || !in.hasShape() || in.getShape().getDimsCount() == 0) {
            throw invalid(src, "the graph has no \"input\" binding to a node with a known shape, so the input shape"
                    + " of the layers is unknown", null);
        }
        List<Long> d = in.getShape().getDimsList();
        int[] dims = new int[d.size()];
        for (int i = 0; i < dims.length; i++) {
            long v = d.get(i);
            if (i == 0 && v == -1) {
                v = 1;
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw invalid(src, "the input shape " + d + " has an unsupported dimension " + v
                        + " (only the batch dimension may be -1)", null);
            }
            dims[i] = (int) v;
        }
        return dims;
    }

    /**
     * The optimizer of the training state, every slot checked against the optimizer's slot names and the
     * parameters' shapes; the slot values are decoded and restored only if {@code restore}.
     */
    private static tinynn.runtime.optim.Optimizer optimizer(TrainingState training, ForwardGraph built, String src,
            boolean restore) {
        if (training == null || !training.hasOptimizer()) {
            return Optimizers.create("adam", Map.of());
        }
        Optimizer o = training.getOptimizer();
        tinynn.runtime.optim.Optimizer opt;
        try {
            opt = Optimizers.create(o.getType(), new HashMap<>(o.getHyperMap()));
        } catch (RuntimeException e) {
            throw invalid(src, Causes.describe(e), e);
        }
        Map<String, tinynn.graph.Node> params = new HashMap<>();
        for (tinynn.graph.Node p : built.graph().parameters()) {
            params.put(p.name(), p);
        }
        Map<String, Map<String, tinynn.runtime.Tensor>> slots = new LinkedHashMap<>();
        for (Slot s : o.getSlotsList()) {
            tinynn.graph.Node p = params.get(s.getParam());
            String label = "optimizer slot " + ModelValidator.q(s.getSlot()) + " of parameter " + ModelValidator.q(s.getParam());
            if (p == null) {
                throw invalid(src, label + " refers to a parameter the layers do not have", null);
            }
            if (p.op() instanceof tinynn.graph.Leaf.Parameter lp && !lp.trainable()) {
                throw invalid(src, label + " refers to non-trainable state, which no optimizer updates", null);
            }
            if (!opt.slots().containsKey(s.getSlot())) {
                throw invalid(src, label + ": " + opt.type() + " has no slot " + ModelValidator.q(s.getSlot())
                        + " (it has " + String.join(", ", opt.slots().keySet()) + "); the state is from another optimizer", null);
            }
            checkShape(s.getValue(), p.shape(), p.dtype(), label, src);
            if (restore) {
                slots.computeIfAbsent(s.getSlot(), k -> new LinkedHashMap<>())
                        .put(s.getParam(), runtimeTensor(s.getValue(), p.shape(), p.dtype(), label, src));
            }
        }
        if (restore) {
            try {
                opt.restore(o.getStep(), slots);
            } catch (RuntimeException e) {
                throw invalid(src, Causes.describe(e), e);
            }
        }
        return opt;
    }

    /** Decodes a tensor after checking it has exactly the expected shape and dtype. */
    private static tinynn.runtime.Tensor runtimeTensor(Tensor t, tinynn.graph.Shape shape, tinynn.graph.DType dtype,
            String label, String src) {
        checkShape(t, shape, dtype, label, src);
        return dtype == tinynn.graph.DType.F32
                ? tinynn.runtime.Tensor.wrap(shape, Tensors.toFloats(t))
                : tinynn.runtime.Tensor.wrap(shape, Tensors.toDoubles(t));
    }

    private static void checkShape(Tensor t, tinynn.graph.Shape shape, tinynn.graph.DType dtype, String label,
            String src) {
        List<Long> dims = t.getShape().getDimsList();
        boolean same = dims.size() == shape.rank() && t.getDtype() == Tensors.dtype(dtype);
        for (int i = 0; same && i < dims.size(); i++) {
            same = dims.get(i) == shape.dim(i);
        }
        if (!same) {
            throw invalid(src, label + " is " + t.getDtype() + dims + " but the layers need " + dtype + shape, null);
        }
    }

    private static int toInt(long v, String what, String src) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw invalid(src, what + " " + v + " is out of range", null);
        }
        return (int) v;
    }

    private static ModelFileException invalid(String src, String what, Throwable cause) {
        return new ModelFileException(Reason.INVALID, src, what, REEXPORT, cause);
    }
}
