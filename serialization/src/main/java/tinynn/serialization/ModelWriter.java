package tinynn.serialization;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tinynn.ops.loss.Loss;
import tinynn.ops.nn.Dense;
import tinynn.runtime.model.Net;
import tinynn.serialization.proto.EpochMetrics;
import tinynn.serialization.proto.Layer;
import tinynn.serialization.proto.Layers;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Optimizer;
import tinynn.serialization.proto.Rng;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;
import tinynn.serialization.proto.TrainingState;

/**
 * Writes a live {@link tinynn.runtime.model.Model} as a {@code tinynn.v1.Model} message ({@link ModelReader}
 * reads it back).
 *
 * <p>The message holds the header, the forward graph (input placeholder to output, plus the target placeholder
 * and the loss) with the batch dimension as -1 ({@link ForwardGraph}), the layer list, the loss and dtype, every
 * parameter and, unless weights-only, the training state (optimizer type, hyper-parameters, slots and step,
 * epoch, global step, seed, history, the run's resume state).
 */
public final class ModelWriter {

    /** {@code Header.producer} of files written by this library. */
    public static final String PRODUCER = "tinynn-java 0.1.0";

    private ModelWriter() {}

    /**
     * The file message for {@code model}. Parameters the model has not created yet are initialised as the model
     * itself would initialise them.
     *
     * @param weightsOnly leave out the training state (optimizer, counters, seed, history)
     * @throws IllegalStateException if the model has never been built or run and its input shape cannot be
     *     inferred (call {@code model.build(inputShape)} first)
     */
    public static Model toProto(tinynn.runtime.model.Model model, boolean weightsOnly) {
        Objects.requireNonNull(model, "model");
        int[] dims = inputDims(model);
        tinynn.graph.DType dtype = model.dtype();
        dims[0] = 1;
        ForwardGraph one = ForwardGraph.of(model.net(), model.loss(), dtype, dims);
        dims[0] = 2;
        ForwardGraph two = ForwardGraph.of(model.net(), model.loss(), dtype, dims);

        Model.Builder out = Model.newBuilder()
                .setHeader(ModelFormat.header(PRODUCER))
                .setGraph(ForwardGraph.export(one, two, model.loss()))
                .setLayers(layers(model.net(), model.loss(), dtype, one.graph().parameters()));
        for (tinynn.graph.Node p : one.graph().parameters()) {
            out.addParameters(tensor(p.name(), model.parameters().of(p)));
        }
        if (!weightsOnly) {
            out.setTraining(training(model));
        }
        out.putAllMetadata(model.metadata());
        return out.build();
    }

    private static int[] inputDims(tinynn.runtime.model.Model model) {
        tinynn.graph.Shape s = model.inputShape();
        if (s != null) {
            return s.dims();
        }
        if (model.net().layers().getFirst() instanceof Dense d && d.in() >= 0) {
            return new int[] {1, d.in()};
        }
        throw new IllegalStateException("cannot save a model that has never been built or run: its input shape is"
                + " unknown; call model.build(inputShape) or model.forward(...) first");
    }

    private static Layers layers(Net net, Loss loss, tinynn.graph.DType dtype, List<tinynn.graph.Node> params) {
        Layers.Builder ls = Layers.newBuilder().setLoss(loss.type()).setDtype(Tensors.dtype(dtype));
        ls.putAllLossAttrs(ForwardGraph.lossAttrs(loss));
        // Parameters by every dotted prefix of their name ("dense0.w" under "dense0"), found per layer in O(1)
        // instead of a scan of all parameters for each layer (quadratic for deep networks).
        Map<String, List<String>> byPrefix = new HashMap<>();
        for (tinynn.graph.Node p : params) {
            for (int dot = p.name().indexOf('.'); dot >= 0; dot = p.name().indexOf('.', dot + 1)) {
                byPrefix.computeIfAbsent(p.name().substring(0, dot), k -> new ArrayList<>()).add(p.name());
            }
        }
        for (int i = 0; i < net.layers().size(); i++) {
            tinynn.ops.nn.Layer layer = net.layers().get(i);
            String name = net.names().get(i);
            Layer.Builder l = Layer.newBuilder().setType(layer.type()).setName(name);
            for (Map.Entry<String, Object> e : new TreeMap<>(layer.attrs()).entrySet()) {
                l.putAttrs(e.getKey(), AttrValues.of(e.getValue()));
            }
            l.addAllParams(byPrefix.getOrDefault(name, List.of()));
            ls.addLayers(l);
        }
        return ls.build();
    }

    private static TrainingState training(tinynn.runtime.model.Model model) {
        tinynn.runtime.optim.Optimizer opt = model.optimizer();
        Optimizer.Builder o = Optimizer.newBuilder().setType(opt.type()).putAllHyper(opt.hyper()).setStep(opt.steps());
        for (Map.Entry<String, Map<String, tinynn.runtime.Tensor>> slot : opt.slots().entrySet()) {
            for (Map.Entry<String, tinynn.runtime.Tensor> e : slot.getValue().entrySet()) {
                o.addSlots(Slot.newBuilder()
                        .setParam(e.getKey())
                        .setSlot(slot.getKey())
                        .setValue(tensor(e.getKey() + "/" + slot.getKey(), e.getValue())));
            }
        }
        TrainingState.Builder t = TrainingState.newBuilder()
                .setOptimizer(o)
                .setEpoch(model.epoch())
                .setGlobalStep(model.globalStep())
                .setRng(Rng.newBuilder().setSeed(model.parameters().seed()));
        for (tinynn.runtime.model.EpochMetrics m : model.history()) {
            EpochMetrics.Builder e = EpochMetrics.newBuilder()
                    .setEpoch(m.epoch())
                    .setTrainLoss(m.trainLoss())
                    .setSeconds(m.seconds());
            if (!Double.isNaN(m.testLoss())) {
                e.setTestLoss(m.testLoss());
            }
            if (!Double.isNaN(m.testAccuracy())) {
                e.setTestAccuracy(m.testAccuracy());
            }
            if (!Double.isNaN(m.valLoss())) e.setValLoss(m.valLoss());
            if (!Double.isNaN(m.valAccuracy())) e.setValAccuracy(m.valAccuracy());
            t.addHistory(e);
        }
        tinynn.runtime.optim.schedule.Scheduler s = model.schedule();
        if (s != null) {
            t.setLrSchedule(tinynn.serialization.proto.LrSchedule.newBuilder().setType(s.type()).putAllParams(s.params())
                    .setPosition(s.position(model.globalStep(), model.epoch())).setBaseLr(s.baseLr())
                    .setWarmupSteps(s.warmupSteps()).addAllMilestones(s.milestones()).putAllState(s.schedule().state()));
        }
        ResumeState.write(model, t);
        tinynn.runtime.model.MonitorState ms = model.monitorState();
        if (ms != null) {
            var b = tinynn.serialization.proto.MonitorState.newBuilder().setMetric(ms.metric())
                    .setBestEpoch(ms.bestEpoch()).setWait(ms.stale());
            if (!Double.isNaN(ms.best())) b.setBest(ms.best());
            t.setMonitor(b);
        }
        if (model.trainingControl() != null) t.setControl(TrainingControls.toProto(model.trainingControl()));
        return t.build();
    }

    private static Tensor tensor(String name, tinynn.runtime.Tensor t) {
        Tensor.Builder b = Tensor.newBuilder().setName(name).setDtype(Tensors.dtype(t.dtype()));
        for (int d : t.shape().dims()) {
            b.getShapeBuilder().addDims(d);
        }
        ByteString data = t.isF32() ? TensorBytes.fromFloats(t.f32()) : TensorBytes.fromDoubles(t.f64());
        return b.setData(data).build();
    }
}
