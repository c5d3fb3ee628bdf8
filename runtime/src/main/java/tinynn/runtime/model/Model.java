package tinynn.runtime.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Mode;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.loss.Loss;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.optim.Optimizer;

/**
 * The article's Model: forward, backward, applyGrad. Underneath, each batch size gets a training graph
 * (forward in training mode, loss, gradients, state updates) and, for {@link #predict}, an inference graph,
 * and plans compiled from them; all graphs share one set of parameters.
 */
public final class Model {

    /** What backward returns: the loss and d(loss)/d(parameter) by parameter name. */
    public record Grads(double loss, Map<String, Tensor> grads) {}

    private final Net net;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Backend backend;
    private final DType dtype;
    private final Parameters params;
    private final Map<Integer, Compiled> compiled = new HashMap<>();
    private final Map<Integer, Inference> inference = new HashMap<>();
    private Inference lastInference;
    /** The training graphs' random state (see Graph.randomState): the seed's two halves, then the step. */
    private final Tensor randomState = Tensor.zeros(DType.F64, Shape.of(3));
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<EpochMetrics> history = new ArrayList<>();
    private MonitorState monitorState;
    private TrainingControl control;
    private int epoch;
    private long globalStep;
    // Resume state of the run that trains the model (see TrainingRun); kept in primitives because the trainer updates it every step.
    private int batchSize;
    private int epochStep, epochLossSteps;
    private double epochLossSum;
    private double initialLoss = Double.NaN;
    private TrainingRun run;
    private tinynn.runtime.optim.schedule.Scheduler schedule;
    private Compiled last;
    /** Every live plan, for invalidating after a step without an iterator. */
    private final List<Plan> plans = new ArrayList<>();
    private Shape inputShape;
    /** Whether training graphs also compute d(loss)/d(input), see {@link #withInputGradient()}. */
    private boolean inputGradient;

    public Model(Net net, Loss loss, Optimizer optimizer) { this(net, loss, optimizer, Backends.createDefault(), DType.F32, 0); }

    public Model(Net net, Loss loss, Optimizer optimizer, Backend backend, DType dtype, long seed) {
        this.net = net;
        this.loss = loss;
        this.optimizer = optimizer;
        this.backend = backend;
        this.dtype = dtype;
        this.params = new Parameters(seed);
        randomState.set(0, seed >>> 32);
        randomState.set(1, seed & 0xFFFFFFFFL);
    }

    public Net net() { return net; }
    public Loss loss() { return loss; }
    public Optimizer optimizer() { return optimizer; }
    public Backend backend() { return backend; }
    public DType dtype() { return dtype; }
    public Parameters parameters() { return params; }

    /** Free-form facts saved with the model: data set, class labels, input normalisation. */
    public Map<String, String> metadata() { return metadata; }

    /** Metrics of completed epochs, oldest first. */
    public List<EpochMetrics> history() { return history; }

    /** Completed epochs; the next epoch to train. */
    public int epoch() { return epoch; }

    public void epoch(int epoch) { this.epoch = epoch; }

    /** Optimizer steps taken through {@link #applyGrad}. */
    public long globalStep() { return globalStep; }

    public void globalStep(long step) { this.globalStep = step; }

    /** The mini-batch size the model is trained with; 0 when not recorded. */
    public int batchSize() { return batchSize; }

    public void batchSize(int batchSize) { this.batchSize = batchSize; }

    /** Where the current epoch stands: {@link EpochPosition#START} at an epoch boundary, else the steps done of an unfinished epoch. */
    public EpochPosition epochPosition() { return new EpochPosition(epochStep, epochLossSum, epochLossSteps); }

    /** Sets the position inside the current epoch (primitives, so that a training step allocates nothing). */
    public void epochPosition(int step, double lossSum, int lossSteps) {
        EpochPosition.check(step, lossSum, lossSteps);
        this.epochStep = step;
        this.epochLossSum = lossSum;
        this.epochLossSteps = lossSteps;
    }

    /** The loss of the run's first step, before any update (the yardstick of divergence); NaN when not recorded. */
    public double initialLoss() { return initialLoss; }

    public void initialLoss(double loss) { this.initialLoss = loss; }

    /** How the run that trains the model was started, for resuming it; null when not recorded. */
    public TrainingRun trainingRun() { return run; }

    public void trainingRun(TrainingRun run) { this.run = run; }

    /** The learning-rate schedule the trainer applies before each step; null = the optimizer's rate stays as set. */
    public tinynn.runtime.optim.schedule.Scheduler schedule() { return schedule; }

    public void schedule(tinynn.runtime.optim.schedule.Scheduler schedule) { this.schedule = schedule; }

    /** Early stopping / best-model tracking of the run; null when the run monitors nothing. */
    public MonitorState monitorState() { return monitorState; }

    public void monitorState(MonitorState state) { this.monitorState = state; }

    /** The run's validation / early-stopping / report options, for resuming it; null when not recorded. */
    public TrainingControl trainingControl() { return control; }

    public void trainingControl(TrainingControl control) { this.control = control; }

    /** Records a finished epoch and advances the epoch counter. */
    public void endEpoch(EpochMetrics metrics) {
        history.add(metrics);
        epoch++;
    }

    /** Writes the model file atomically (see {@link ModelCodec}). */
    public void save(java.nio.file.Path path) throws java.io.IOException { ModelCodec.find().save(this, path, false); }

    /** Writes parameters and architecture only: a smaller file for inference. */
    public void saveWeights(java.nio.file.Path path) throws java.io.IOException { ModelCodec.find().save(this, path, true); }

    public static Model load(java.nio.file.Path path) throws java.io.IOException { return ModelCodec.find().load(path, Backends.createDefault()); }

    public static Model load(java.nio.file.Path path, Backend backend) throws java.io.IOException { return ModelCodec.find().load(path, backend); }

    /**
     * The last layer's output for a batch of inputs in training mode (batch statistics, dropout masks), the
     * article's first step of forward, backward, applyGrad; the returned buffer is reused. At a batch size the
     * model has trained on, this runs the forward part of the training plan, so a following {@link #backward}
     * continues from it; elsewhere it runs a forward-only plan of the training graph. For predictions, use
     * {@link #predict}.
     */
    public Tensor forward(Tensor inputs) {
        Compiled c = compile(inputs.shape());
        Plan plan = c.train != null ? c.train : c.inference();
        plan.feed(c.input, inputs);
        c.feedRandomState(plan);
        plan.run(c.outputOnly);
        last = c;
        return plan.value(c.output);
    }

    /**
     * Makes every training step also compute d(loss)/d(input), read after {@link #backward} or {@link #trainStep}
     * by {@link #inputGradient()}: what chains two models, e.g. a GAN's generator learning through its
     * discriminator (feed the discriminator's input gradient to the generator as the targets of
     * {@link tinynn.ops.loss.Losses#dot()}). Off by default, as it costs one more backward product in the first
     * layer. Call it before the first training step.
     */
    public Model withInputGradient() {
        if (!compiled.isEmpty() && !inputGradient) {
            throw new IllegalStateException("withInputGradient must be called before the model's first forward or training step");
        }
        inputGradient = true;
        return this;
    }

    /**
     * d(loss)/d(input) of the last {@link #backward} or {@link #trainStep}, shaped like the input; the buffer is
     * reused by the next step at this batch size.
     */
    public Tensor inputGradient() {
        if (!inputGradient) throw new IllegalStateException("inputGradient needs withInputGradient() before training");
        Compiled c = last;
        if (c == null || c.train == null) throw new IllegalStateException("inputGradient needs a backward or trainStep first");
        return c.train.value(c.inputGrad);
    }

    /** Loss and parameter gradients for the predictions just returned by {@link #forward}. */
    public Grads backward(Tensor preds, Tensor targets) {
        Compiled c = last;
        Plan from = c == null ? null : c.train != null ? c.train : c.fwd;
        if (from == null || preds != from.value(c.output)) {
            throw new IllegalStateException("backward needs the predictions returned by the last forward call of this model");
        }
        if (from != c.train) {
            // The first backward at this batch size: its forward ran on the inference plan, so the training plan
            // (which replaces it) computes this one step's forward again; every later step runs it once.
            Tensor inputs = from.value(c.input);
            c.training().feed(c.input, inputs);
            c.feedRandomState(c.train);
        }
        c.train.feed(c.target, targets);
        c.train.run(c.trainOutputs);
        return new Grads(c.train.value(c.lossNode).item(), c.gradTensors);
    }

    /**
     * Lets the optimizer update the parameters in place, and sets the state (running statistics) to the values
     * the last {@link #backward} computed.
     */
    public void applyGrad(Grads grads) {
        if (last != null && last.train != null && grads.grads() == last.gradTensors) last.optimizerStep.run();
        else optimizer.step(backend, params, grads.grads());
        if (last != null && last.train != null) last.updateState();
        stepped();
    }

    /** One training step on a batch: output, loss and gradients in one pass of the training plan; returns the loss. */
    public double trainStep(Tensor inputs, Tensor targets) {
        Compiled c = compile(inputs.shape());
        Plan plan = c.training();
        plan.feed(c.input, inputs);
        plan.feed(c.target, targets);
        c.feedRandomState(plan);
        plan.run(c.trainOutputs);
        last = c;
        double loss = plan.value(c.lossNode).item();
        c.optimizerStep.run();
        c.updateState();
        stepped();
        return loss;
    }

    /**
     * Predictions (the last layer's output) for a batch of inputs in inference mode: running statistics, no
     * dropout, no state change. Runs a plan of its own per batch size, so it leaves a pending {@link #forward} /
     * {@link #backward} alone; the returned buffer is reused by the next call at this batch size.
     */
    public Tensor predict(Tensor inputs) {
        Inference p = inferenceGraph(inputs.shape());
        Plan plan = p.plan();
        plan.feed(p.input, inputs);
        plan.run(p.outputOnly);
        return plan.value(p.output);
    }

    /**
     * Sets this model's parameters and state (running statistics) to {@code source}'s values, copied in place so the
     * plans already compiled see them: e.g. a DQN's target network catching up with the network it trains. The
     * optimizer's own state (Adam's moments) is not copied. Both models need the same architecture; this one is
     * built at the source's input shape if it has not been built yet.
     */
    public void copyParametersFrom(Model source) {
        Map<String, Tensor> from = source.parameters().asMap();
        if (from.isEmpty()) throw new IllegalStateException("copyParametersFrom: the source model has no parameters yet; build it or train a step first");
        if (params.asMap().isEmpty()) build(source.inputShape());
        Map<String, Tensor> to = params.asMap();
        if (!to.keySet().equals(from.keySet())) {
            throw new IllegalArgumentException("copyParametersFrom: the models' parameters differ (" + to.keySet() + " vs " + from.keySet()
                    + "); give both models the same layers");
        }
        for (Map.Entry<String, Tensor> e : from.entrySet()) {
            Tensor dst = to.get(e.getKey());
            if (!dst.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("copyParametersFrom: parameter '" + e.getKey() + "' is " + e.getValue().shape()
                        + " in the source but " + dst.shape() + " here; give both models the same layers");
            }
            dst.copyFrom(e.getValue());
        }
        for (int i = 0; i < plans.size(); i++) plans.get(i).invalidate();
    }

    /** After an optimizer step: every computed value depends on the old parameters. */
    private void stepped() {
        globalStep++;
        for (int i = 0; i < plans.size(); i++) plans.get(i).invalidate();
    }

    /**
     * The input shape (batch dimension included) of the latest {@link #forward} or {@link #build}, or null if
     * the model has not been built yet. Model files store it, with the batch dimension left open.
     */
    public Shape inputShape() { return inputShape; }

    /**
     * Creates the parameters without running anything, e.g. before loading saved values. It builds the inference
     * graph, which holds every parameter and state the training graph does and fits any batch size.
     */
    public void build(Shape inputShape) { inferenceGraph(inputShape); }

    private Inference inferenceGraph(Shape inputShape) {
        Inference p = lastInference;
        if (p == null || !p.input.shape().equals(inputShape)) p = inference.get(inputShape.dim(0));
        if (p != null && !p.input.shape().equals(inputShape)) {
            throw new IllegalArgumentException("input shape " + inputShape + " differs from " + p.input.shape() + " used before");
        }
        if (p == null) {
            Graph g = new Graph(Mode.INFERENCE);
            Node x = g.placeholder("input", dtype, inputShape.dims());
            Node out = net.build(x);
            for (Node n : g.parameters()) params.of(n);
            p = new Inference(x, out);
            inference.put(inputShape.dim(0), p);
        }
        lastInference = p;
        this.inputShape = inputShape;
        return p;
    }

    private Compiled compile(Shape inputShape) {
        // The training loop's case, checked without boxing the batch size for the map.
        if (last != null && last.input.shape().equals(inputShape)) {
            this.inputShape = inputShape;
            return last;
        }
        Compiled c = compiled.get(inputShape.dim(0));
        if (c != null && c.input.shape().equals(inputShape)) {
            this.inputShape = inputShape;
            return c;
        }
        if (c != null) throw new IllegalArgumentException("input shape " + inputShape + " differs from " + c.input.shape() + " used before");
        Graph g = new Graph(Mode.TRAINING);
        Node x = g.placeholder("input", dtype, inputShape.dims());
        Node out = net.build(x);
        Node y = g.placeholder("target", dtype, loss.targetShape(out.shape()).dims());
        Node l = loss.build(out, y);
        for (Node p : g.parameters()) params.of(p);
        List<Node> wrt = new ArrayList<>(g.trainableParameters());
        if (inputGradient) wrt.add(x);
        Map<Node, Node> grads = new LinkedHashMap<>(Autodiff.gradients(l, wrt));
        Node inputGrad = inputGradient ? grads.remove(x) : null;
        c = new Compiled(g, x, out, y, l, grads, inputGrad);
        compiled.put(inputShape.dim(0), c);
        this.inputShape = inputShape;
        return c;
    }

    /** Plans compiled and alive: per batch size training or forward-only, and inference (for tests and memory accounting). */
    public int planCount() { return plans.size(); }

    /** The training graph for a batch size, for printing or exporting. */
    public Graph graph(Shape inputShape) { return compile(inputShape).graph; }

    /** One batch size's inference graph (input to output) and, once {@link #predict} ran, its plan. */
    private final class Inference {
        final Node input, output;
        final Node[] outputOnly;
        Plan plan;

        Inference(Node input, Node output) {
            this.input = input;
            this.output = output;
            this.outputOnly = new Node[] {output};
        }

        Plan plan() {
            if (plan == null) plans.add(plan = new Plan(backend, params, List.of(output)));
            return plan;
        }
    }

    /**
     * One batch size: its graph (forward, loss, gradients) and up to two plans. The training plan computes output,
     * loss and gradients in one pass; the forward-only plan serves inference and is dropped once training starts.
     */
    private final class Compiled {
        final Graph graph;
        final Node input, output, target, lossNode;
        final Map<Node, Node> grads;
        /** d(loss)/d(input) when the model computes it, else null. */
        final Node inputGrad;
        final Node[] outputOnly, trainOutputs;
        /** The training graph's random-state placeholder; null when no layer draws random numbers. */
        final Node random;
        /** State parameters and the nodes holding their next values; with train, the tensors to copy between. */
        final Node[] states, nextStates;
        Tensor[] stateTensors, nextStateTensors;
        Plan fwd, train;
        Map<String, Tensor> gradTensors;
        /** The optimizer bound to this plan's parameter and gradient buffers. */
        Runnable optimizerStep;

        Compiled(Graph graph, Node input, Node output, Node target, Node lossNode, Map<Node, Node> grads, Node inputGrad) {
            this.graph = graph;
            this.input = input;
            this.output = output;
            this.target = target;
            this.lossNode = lossNode;
            this.grads = grads;
            this.inputGrad = inputGrad;
            this.outputOnly = new Node[] {output};
            this.random = graph.randomStateOrNull();
            this.states = graph.updates().keySet().toArray(Node[]::new);
            this.nextStates = graph.updates().values().toArray(Node[]::new);
            List<Node> outs = new ArrayList<>(grads.values());
            outs.add(lossNode);
            outs.add(output);
            outs.addAll(List.of(nextStates));
            if (inputGrad != null) outs.add(inputGrad);
            this.trainOutputs = outs.toArray(Node[]::new);
        }

        /** The step's random state: masks depend on (seed, global step), so a resumed run draws the same ones. */
        void feedRandomState(Plan plan) {
            if (random == null) return;
            randomState.set(2, globalStep);
            plan.feed(random, randomState);
        }

        /** Copies the step's new state values (running statistics) into the state; no allocation. */
        void updateState() {
            for (int i = 0; i < states.length; i++) backend.copy(nextStateTensors[i], stateTensors[i]);
        }

        Plan inference() {
            if (fwd == null) plans.add(fwd = new Plan(backend, params, List.of(output)));
            return fwd;
        }

        Plan training() {
            if (train != null) return train;
            plans.add(train = new Plan(backend, params, List.of(trainOutputs)));
            if (fwd != null) {
                plans.remove(fwd);
                fwd = null;
            }
            Map<String, Tensor> byName = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            List<Tensor> values = new ArrayList<>(), gradients = new ArrayList<>();
            for (var e : grads.entrySet()) {
                Tensor g = train.value(e.getValue());
                byName.put(e.getKey().name(), g);
                names.add(e.getKey().name());
                values.add(params.of(e.getKey()));
                gradients.add(g);
            }
            gradTensors = java.util.Collections.unmodifiableMap(byName);
            stateTensors = new Tensor[states.length];
            nextStateTensors = new Tensor[states.length];
            for (int i = 0; i < states.length; i++) {
                stateTensors[i] = params.of(states[i]);
                nextStateTensors[i] = train.value(nextStates[i]);
            }
            optimizerStep = optimizer.bind(backend, names, values, gradients);
            return train;
        }
    }
}
