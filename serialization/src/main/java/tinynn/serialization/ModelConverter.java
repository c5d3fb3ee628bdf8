package tinynn.serialization;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
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
import tinynn.serialization.proto.Rng;
import tinynn.serialization.proto.Shape;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;
import tinynn.serialization.proto.TrainingState;

/**
 * Converts between a live {@link tinynn.runtime.model.Model} and the {@code tinynn.v1.Model} message.
 *
 * <p>Writing stores the header, the forward graph (input placeholder to output, plus the target placeholder and
 * the loss) with the batch dimension as -1, the layer list, the loss and dtype, every parameter and, unless
 * weights-only, the training state (optimizer type, hyper-parameters, slots and step, epoch, global step, seed,
 * history). Reading rebuilds the network from the layer list (no reflection), checks every parameter and
 * optimizer slot against what the rebuilt network needs, checks that the stored graph is exactly the one the
 * layers build ({@link GraphCheck}: the layer list is authoritative), and restores everything; every failure is
 * a {@link ModelFileException} naming the source.
 */
public final class ModelConverter {

  /** {@code Header.producer} of files written by this library. */
  public static final String PRODUCER = "tinynn-java 0.1.0";

  /** Graph roles written and read by tinynn-java. */
  public static final String ROLE_INPUT = "input";
  public static final String ROLE_TARGET = "target";
  public static final String ROLE_OUTPUT = "output";
  public static final String ROLE_LOGITS = "logits";
  public static final String ROLE_LOSS = "loss";

  /** Op written for a loss whose primitive ops depend on the batch size. */
  public static final String LOSS_OP = "tinynn.loss";

  private static final String REEXPORT = "re-save the model with tinynn, or check the program that wrote it";

  private ModelConverter() {}

  // ============================================================================================== Model -> file

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
    Built one = Built.of(model.net(), model.loss(), dtype, dims);
    dims[0] = 2;
    Built two = Built.of(model.net(), model.loss(), dtype, dims);

    Model.Builder out = Model.newBuilder()
        .setHeader(ModelFormat.header(PRODUCER))
        .setGraph(graph(one, two, model.loss()))
        .setLayers(layers(model.net(), model.loss(), dtype, one.graph.parameters()));
    for (tinynn.graph.Node p : one.graph.parameters()) {
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

  /** The graph a Model compiles (minus gradients): input -> net -> output, target, loss. */
  private record Built(tinynn.graph.Graph graph, tinynn.graph.Node input, tinynn.graph.Node output,
      tinynn.graph.Node target, tinynn.graph.Node loss) {

    static Built of(Net net, Loss loss, tinynn.graph.DType dtype, int[] inputDims) {
      tinynn.graph.Graph g = new tinynn.graph.Graph();
      tinynn.graph.Node x = g.placeholder(ROLE_INPUT, dtype, inputDims);
      tinynn.graph.Node out = net.build(x);
      tinynn.graph.Node y = g.placeholder(ROLE_TARGET, dtype, out.shape().dims());
      tinynn.graph.Node l = loss.build(out, y);
      return new Built(g, x, out, y, l);
    }
  }

  /**
   * The forward graph and the loss, built for batch sizes 1 and 2: dims (and int-list attrs such as a reshape's
   * shape) that differ between the two are the batch dimension and are stored as -1. A loss whose other
   * attributes depend on the batch size (a division by N) is stored as one {@value #LOSS_OP} node.
   */
  private static Graph graph(Built one, Built two, Loss loss) {
    List<tinynn.graph.Node> a = one.graph.nodes();
    List<tinynn.graph.Node> b = two.graph.nodes();
    if (a.size() != b.size()) {
      throw new IllegalStateException("the network builds a different graph for each batch size; cannot export it");
    }
    BitSet forward = ancestors(one.output);
    BitSet lossPart = ancestors(one.loss);
    lossPart.andNot(forward);
    boolean lossPortable = true;
    for (int id = lossPart.nextSetBit(0); id >= 0; id = lossPart.nextSetBit(id + 1)) {
      lossPortable &= node(a.get(id), b.get(id)) != null;
    }
    Graph.Builder g = Graph.newBuilder();
    for (int id = 0; id < a.size(); id++) {
      if (forward.get(id) || (lossPortable && lossPart.get(id)) || id == one.target.id()) {
        Node n = node(a.get(id), b.get(id));
        if (n == null) {
          throw new IllegalStateException("op " + a.get(id).op().type() + " (" + a.get(id).name()
              + ") has attributes that depend on the batch size; cannot export it");
        }
        g.addNodes(n);
      } else if (!lossPortable && id == one.loss.id()) {
        g.addNodes(Node.newBuilder()
            .setId(id)
            .setName(loss.type())
            .setOp(LOSS_OP)
            .addInputs(one.output.id())
            .addInputs(one.target.id())
            .setShape(shape(one.loss.shape().dims(), one.loss.shape().dims()))
            .setDtype(dtype(one.loss.dtype()))
            .putAttrs("type", AttrValue.newBuilder().setS(loss.type()).build()));
      }
    }
    g.addInputs(binding(ROLE_INPUT, one.input)).addInputs(binding(ROLE_TARGET, one.target));
    g.addOutputs(binding(ROLE_OUTPUT, one.output));
    if (loss.type().endsWith("cross_entropy")) {
      g.addOutputs(binding(ROLE_LOGITS, one.output));
    }
    g.addOutputs(binding(ROLE_LOSS, one.loss));
    return g.build();
  }

  private static Binding binding(String role, tinynn.graph.Node n) {
    return Binding.newBuilder().setRole(role).setNodeId(n.id()).build();
  }

  /** Ids of n and of every node it depends on. */
  private static BitSet ancestors(tinynn.graph.Node n) {
    BitSet seen = new BitSet();
    seen.set(n.id());
    for (int id = n.id(); id >= 0; id = seen.previousSetBit(id - 1)) {
      for (tinynn.graph.Node in : n.graph().node(id).inputs()) {
        seen.set(in.id());
      }
    }
    return seen;
  }

  /** The node as built for batch 1 ({@code a}) and 2 ({@code b}) merged, or null if they differ beyond dims. */
  private static Node node(tinynn.graph.Node a, tinynn.graph.Node b) {
    if (!a.op().type().equals(b.op().type()) || a.dtype() != b.dtype()) {
      return null;
    }
    List<Integer> ia = a.inputs().stream().map(tinynn.graph.Node::id).toList();
    List<Integer> ib = b.inputs().stream().map(tinynn.graph.Node::id).toList();
    if (!ia.equals(ib)) {
      return null;
    }
    Node.Builder n = Node.newBuilder()
        .setId(a.id())
        .setName(a.name())
        .setOp(a.op().type())
        .addAllInputs(ia)
        .setDtype(dtype(a.dtype()));
    Shape s = shape(a.shape().dims(), b.shape().dims());
    if (s != null) {
      n.setShape(s);
    }
    Map<String, Object> attrsA = a.op().attrs(), attrsB = b.op().attrs();
    if (!attrsA.keySet().equals(attrsB.keySet())) {
      return null;
    }
    for (String key : new java.util.TreeSet<>(attrsA.keySet())) {
      AttrValue va = attr(attrsA.get(key)), vb = attr(attrsB.get(key));
      AttrValue merged = va.equals(vb) ? va : mergeInts(va, vb);
      if (merged == null) {
        return null;
      }
      n.putAttrs(key, merged);
    }
    return n.build();
  }

  /** Dims equal in both builds are kept, differing ones become -1; null if the ranks differ. */
  private static Shape shape(int[] a, int[] b) {
    if (a.length != b.length) {
      return null;
    }
    Shape.Builder s = Shape.newBuilder();
    for (int i = 0; i < a.length; i++) {
      s.addDims(a[i] == b[i] ? a[i] : -1);
    }
    return s.build();
  }

  private static AttrValue mergeInts(AttrValue a, AttrValue b) {
    if (!a.hasInts() || !b.hasInts() || a.getInts().getValuesCount() != b.getInts().getValuesCount()) {
      return null;
    }
    AttrValue.Ints.Builder m = AttrValue.Ints.newBuilder();
    for (int i = 0; i < a.getInts().getValuesCount(); i++) {
      long x = a.getInts().getValues(i), y = b.getInts().getValues(i);
      m.addValues(x == y ? x : -1);
    }
    return AttrValue.newBuilder().setInts(m).build();
  }

  private static Layers layers(Net net, Loss loss, tinynn.graph.DType dtype, List<tinynn.graph.Node> params) {
    Layers.Builder ls = Layers.newBuilder().setLoss(loss.type()).setDtype(dtype(dtype));
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
      for (Map.Entry<String, Object> e : new java.util.TreeMap<>(layer.attrs()).entrySet()) {
        l.putAttrs(e.getKey(), attr(e.getValue()));
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
      t.addHistory(e);
    }
    return t.build();
  }

  private static Tensor tensor(String name, tinynn.runtime.Tensor t) {
    Tensor.Builder b = Tensor.newBuilder().setName(name).setDtype(dtype(t.dtype()));
    for (int d : t.shape().dims()) {
      b.getShapeBuilder().addDims(d);
    }
    ByteString data = t.isF32() ? TensorBytes.fromFloats(t.f32()) : TensorBytes.fromDoubles(t.f64());
    return b.setData(data).build();
  }

  private static DType dtype(tinynn.graph.DType d) {
    return d == tinynn.graph.DType.F32 ? DType.F32 : DType.F64;
  }

  /** An op or layer attribute as a typed protobuf value. */
  static AttrValue attr(Object v) {
    AttrValue.Builder a = AttrValue.newBuilder();
    switch (v) {
      case Boolean x -> a.setB(x);
      case Integer x -> a.setI(x);
      case Long x -> a.setI(x);
      case Short x -> a.setI(x);
      case Byte x -> a.setI(x);
      case Double x -> a.setF(x);
      case Float x -> a.setF(x);
      case String x -> a.setS(x);
      case int[] x -> a.setInts(AttrValue.Ints.newBuilder().addAllValues(Arrays.stream(x).asLongStream().boxed().toList()));
      case long[] x -> a.setInts(AttrValue.Ints.newBuilder().addAllValues(Arrays.stream(x).boxed().toList()));
      case double[] x -> a.setFloats(AttrValue.Floats.newBuilder().addAllValues(Arrays.stream(x).boxed().toList()));
      case tinynn.graph.Shape x -> a.setInts(AttrValue.Ints.newBuilder()
          .addAllValues(Arrays.stream(x.dims()).asLongStream().boxed().toList()));
      case String[] x -> a.setStrings(AttrValue.Strings.newBuilder().addAllValues(Arrays.asList(x)));
      case Enum<?> x -> a.setS(x.name().toLowerCase(java.util.Locale.ROOT));
      case null -> a.setS("");
      default -> a.setS(String.valueOf(v));
    }
    return a.build();
  }

  // ============================================================================================== file -> Model

  /**
   * Rebuilds a model from a validated file message (as returned by {@link ModelFiles#read}). Without training
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
    String src = source == null || source.isEmpty() ? "<stream>" : source;
    try {
      return rebuild(file, src, backend, trainingState);
    } catch (ModelFileException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw invalid(src, "cannot rebuild the model (" + describe(e) + ")", e);
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
        Object v = value(e.getValue());
        if (v == null) {
          throw invalid(src, layerLabel(i, l) + " attribute " + ModelValidator.q(e.getKey()) + " = "
              + e.getValue().getI() + " is out of range", null);
        }
        attrs.put(e.getKey(), v);
      }
      try {
        layers.add(tinynn.ops.nn.Layers.create(l.getType(), attrs));
      } catch (RuntimeException e) {
        throw invalid(src, layerLabel(i, l) + ": " + describe(e), e);
      }
    }
    Net net = new Net(layers);
    Loss loss = loss(file, src);
    tinynn.graph.DType dtype = modelDtype(file, src);
    int[] dims = inputDims(file.getGraph(), src);

    Built built;
    Graph layersGraph;
    try {
      built = Built.of(net, loss, dtype, dims);
      int[] two = dims.clone();
      two[0] = 2;
      layersGraph = graph(built, Built.of(net, loss, dtype, two), loss);
    } catch (RuntimeException e) {
      throw invalid(src, "the layers do not fit the input shape " + Arrays.toString(dims) + " (" + describe(e)
          + ")", e);
    }

    // Parameters: exactly the ones the rebuilt network creates, with their shapes and dtype.
    Map<String, Tensor> stored = new LinkedHashMap<>();
    for (Tensor t : file.getParametersList()) {
      stored.put(t.getName(), t);
    }
    Map<String, tinynn.runtime.Tensor> values = new LinkedHashMap<>();
    for (tinynn.graph.Node p : built.graph.parameters()) {
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
          m.hasTestAccuracy() ? m.getTestAccuracy() : Double.NaN, m.getSeconds()));
    }

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
    }
    model.metadata().putAll(file.getMetadataMap());
    return model;
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
      return Losses.byName(name);
    } catch (RuntimeException e) {
      throw invalid(src, describe(e), e);
    }
  }

  /** The loss named by the graph's "loss" output, for files whose layer list does not record it. */
  private static String graphLoss(Graph g) {
    for (Binding b : g.getOutputsList()) {
      if (b.getRole().equals(ROLE_LOSS)) {
        for (Node n : g.getNodesList()) {
          if (n.getId() == b.getNodeId()) {
            if (n.getOp().equals(LOSS_OP) && n.getAttrsOrDefault("type", AttrValue.getDefaultInstance()).hasS()) {
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
      if (b.getRole().equals(ROLE_INPUT)) {
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
  private static tinynn.runtime.optim.Optimizer optimizer(TrainingState training, Built built, String src,
      boolean restore) {
    if (training == null || !training.hasOptimizer()) {
      return Optimizers.create("adam", Map.of());
    }
    Optimizer o = training.getOptimizer();
    tinynn.runtime.optim.Optimizer opt;
    try {
      opt = Optimizers.create(o.getType(), new HashMap<>(o.getHyperMap()));
    } catch (RuntimeException e) {
      throw invalid(src, describe(e), e);
    }
    Map<String, tinynn.graph.Node> params = new HashMap<>();
    for (tinynn.graph.Node p : built.graph.parameters()) {
      params.put(p.name(), p);
    }
    Map<String, Map<String, tinynn.runtime.Tensor>> slots = new LinkedHashMap<>();
    for (Slot s : o.getSlotsList()) {
      tinynn.graph.Node p = params.get(s.getParam());
      String label = "optimizer slot " + ModelValidator.q(s.getSlot()) + " of parameter " + ModelValidator.q(s.getParam());
      if (p == null) {
        throw invalid(src, label + " refers to a parameter the layers do not have", null);
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
        throw invalid(src, describe(e), e);
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
    boolean same = dims.size() == shape.rank() && t.getDtype() == dtype(dtype);
    for (int i = 0; same && i < dims.size(); i++) {
      same = dims.get(i) == shape.dim(i);
    }
    if (!same) {
      throw invalid(src, label + " is " + t.getDtype() + dims + " but the layers need " + dtype + shape, null);
    }
  }

  /** A layer attribute as the Java value Layers.create expects, or null if unset or out of range. */
  private static Object value(AttrValue v) {
    return switch (v.getValueCase()) {
      case I -> v.getI() == (int) v.getI() ? (Object) (int) v.getI() : null;
      case F -> v.getF();
      case S -> v.getS();
      case B -> v.getB();
      case INTS -> v.getInts().getValuesList().stream().mapToLong(Long::longValue).toArray();
      case FLOATS -> v.getFloats().getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
      case STRINGS -> List.copyOf(v.getStrings().getValuesList());
      case VALUE_NOT_SET -> null;
    };
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

  private static String describe(Throwable e) {
    String m = e.getMessage();
    String s = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    s = s.replace('\r', ' ').replace('\n', ' ').trim();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
