package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Recurrence.Kind;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Dropout;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.ops.nn.Recurrent;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * The rnn, lstm and gru layers: forward values against a step-by-step evaluation of the equations in docs/rnn.md
 * written here (not the kernels, not the ops' reference forwards) on every backend, shapes, parameter names and
 * initial values, stacking, and the attribute round trip.
 */
class RecurrentLayersTest {

    // ---- the equations, one time step at a time (PyTorch's conventions; weights stored [in, G·H]) ----

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    /** row · W[:, from : from + h] for a row-major W with `cols` columns. */
    private static double[] times(double[] row, double[] w, int cols, int from, int h) {
        double[] out = new double[h];
        for (int j = 0; j < h; j++) for (int k = 0; k < row.length; k++) out[j] += row[k] * w[k * cols + from + j];
        return out;
    }

    /** Everything one direction computes for one example: hidden states per time step, and the final h and c. */
    private record Run(double[][] hs, double[] h, double[] c) {}

    private static Run step(Kind kind, boolean reverse, double[][] xs, Map<String, double[]> p, String suffix, double[] h0, double[] c0, int hidden) {
        int t = xs.length, gh = kind.gates() * hidden;
        double[] wIh = p.get("w_ih" + suffix), wHh = p.get("w_hh" + suffix);
        double[] h = h0.clone(), c = c0.clone();
        double[][] hs = new double[t][];
        for (int s = 0; s < t; s++) {
            int time = reverse ? t - 1 - s : s;
            double[] x = xs[time];
            double[] next = new double[hidden];
            switch (kind) {
                case LSTM -> {
                    double[] b = p.get("b" + suffix);
                    double[] xi = times(x, wIh, gh, 0, hidden), xf = times(x, wIh, gh, hidden, hidden);
                    double[] xg = times(x, wIh, gh, 2 * hidden, hidden), xo = times(x, wIh, gh, 3 * hidden, hidden);
                    double[] hi = times(h, wHh, gh, 0, hidden), hf = times(h, wHh, gh, hidden, hidden);
                    double[] hg = times(h, wHh, gh, 2 * hidden, hidden), ho = times(h, wHh, gh, 3 * hidden, hidden);
                    for (int j = 0; j < hidden; j++) {
                        double i = sigmoid(xi[j] + hi[j] + b[j]);
                        double f = sigmoid(xf[j] + hf[j] + b[hidden + j]);
                        double g = Math.tanh(xg[j] + hg[j] + b[2 * hidden + j]);
                        double o = sigmoid(xo[j] + ho[j] + b[3 * hidden + j]);
                        c[j] = f * c[j] + i * g;
                        next[j] = o * Math.tanh(c[j]);
                    }
                }
                case GRU -> {
                    double[] bi = p.get("b_ih" + suffix), bh = p.get("b_hh" + suffix);
                    double[] xr = times(x, wIh, gh, 0, hidden), xz = times(x, wIh, gh, hidden, hidden), xn = times(x, wIh, gh, 2 * hidden, hidden);
                    double[] hr = times(h, wHh, gh, 0, hidden), hz = times(h, wHh, gh, hidden, hidden), hn = times(h, wHh, gh, 2 * hidden, hidden);
                    for (int j = 0; j < hidden; j++) {
                        double r = sigmoid(xr[j] + bi[j] + hr[j] + bh[j]);
                        double z = sigmoid(xz[j] + bi[hidden + j] + hz[j] + bh[hidden + j]);
                        double n = Math.tanh(xn[j] + bi[2 * hidden + j] + r * (hn[j] + bh[2 * hidden + j]));
                        next[j] = (1 - z) * n + z * h[j];
                    }
                }
                case RNN_TANH, RNN_RELU -> {
                    double[] b = p.get("b" + suffix), xh = times(x, wIh, gh, 0, hidden), hh = times(h, wHh, gh, 0, hidden);
                    for (int j = 0; j < hidden; j++) {
                        double a = xh[j] + hh[j] + b[j];
                        next[j] = kind == Kind.RNN_TANH ? Math.tanh(a) : Math.max(a, 0);
                    }
                }
            }
            h = next;
            hs[time] = next;
        }
        return new Run(hs, h, c);
    }

    // ---- the layers on each backend ----

    static Recurrent layer(Kind kind, int h, boolean returnSequences, boolean bidirectional) {
        return switch (kind) {
            case RNN_TANH -> Recurrent.rnn(h, "tanh", returnSequences, bidirectional);
            case RNN_RELU -> Recurrent.rnn(h, "relu", returnSequences, bidirectional);
            case LSTM -> Recurrent.lstm(h, returnSequences, bidirectional);
            case GRU -> Recurrent.gru(h, returnSequences, bidirectional);
        };
    }

    @Test
    void lstmGruAndRnnFollowTheEquationsOnEveryBackend() {
        int n = 3, t = 5, f = 4, hidden = 6;
        for (Kind kind : Kind.values()) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                for (DType dtype : DType.values()) {
                    for (Backend backend : new Backend[] {new ReferenceBackend(), new OjalgoBackend(), new SimdBackend(2)}) {
                        check(kind, bidirectional, dtype, backend, n, t, f, hidden);
                    }
                }
            }
        }
    }

    private static void check(Kind kind, boolean bidirectional, DType dtype, Backend backend, int n, int t, int f, int hidden) {
        String what = kind.label() + (bidirectional ? " bidirectional" : "") + " " + dtype + " on " + backend.name();
        Recurrent layer = layer(kind, hidden, true, bidirectional);
        int gh = kind.gates() * hidden, width = (bidirectional ? 2 : 1) * hidden;
        SplittableRandom rng = new SplittableRandom(kind.ordinal() * 31 + (bidirectional ? 7 : 0));
        Graph g = new Graph();
        Map<Node, double[]> feeds = new LinkedHashMap<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        Node x = input(g, "x", dtype, Shape.of(n, t, f), rng, feeds, values);
        Node h0 = input(g, "h0", dtype, Shape.of(n, width), rng, feeds, values);
        Node c0 = kind == Kind.LSTM ? input(g, "c0", dtype, Shape.of(n, width), rng, feeds, values) : null;
        List<Recurrent.Weights> weights = new ArrayList<>();
        for (String suffix : bidirectional ? new String[] {"", "_reverse"} : new String[] {""}) {
            Node wIh = input(g, "w_ih" + suffix, dtype, Shape.of(f, gh), rng, feeds, values);
            Node wHh = input(g, "w_hh" + suffix, dtype, Shape.of(hidden, gh), rng, feeds, values);
            Node b = input(g, (kind == Kind.GRU ? "b_ih" : "b") + suffix, dtype, Shape.of(1, gh), rng, feeds, values);
            Node bHh = kind == Kind.GRU ? input(g, "b_hh" + suffix, dtype, Shape.of(1, gh), rng, feeds, values) : null;
            weights.add(new Recurrent.Weights(wIh, wHh, b, bHh));
        }
        Recurrent.Output out = layer.apply(x, weights.get(0), bidirectional ? weights.get(1) : null, h0, c0);
        List<Node> outputs = new ArrayList<>(List.of(out.output(), out.h()));
        if (out.c() != null) outputs.add(out.c());
        Plan plan = new Plan(backend, new Parameters(1), outputs);
        for (var e : feeds.entrySet()) plan.feed(e.getKey(), Tensor.of(dtype, e.getKey().shape(), e.getValue()));
        plan.run(outputs.toArray(Node[]::new));
        double[] seq = plan.value(out.output()).toDoubles(), hT = plan.value(out.h()).toDoubles();
        double[] cT = out.c() == null ? null : plan.value(out.c()).toDoubles();

        double tol = dtype == DType.F64 ? 1e-12 : 2e-5;
        for (int b = 0; b < n; b++) {
            double[][] xs = new double[t][f];
            for (int s = 0; s < t; s++) for (int k = 0; k < f; k++) xs[s][k] = values.get("x")[(b * t + s) * f + k];
            for (int d = 0; d < (bidirectional ? 2 : 1); d++) {
                double[] h0b = new double[hidden], c0b = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    h0b[j] = values.get("h0")[b * width + d * hidden + j];
                    if (c0 != null) c0b[j] = values.get("c0")[b * width + d * hidden + j];
                }
                Run r = step(kind, d == 1, xs, values, d == 1 ? "_reverse" : "", h0b, c0b, hidden);
                for (int s = 0; s < t; s++) {
                    for (int j = 0; j < hidden; j++) {
                        // [forward | reverse] on the last axis
                        close(what + " h[" + b + ", " + s + ", " + (d * hidden + j) + "]", r.hs()[s][j], seq[(b * t + s) * width + d * hidden + j], tol);
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    close(what + " final h", r.h()[j], hT[b * width + d * hidden + j], tol);
                    if (cT != null) close(what + " final c", r.c()[j], cT[b * width + d * hidden + j], tol);
                }
            }
        }
    }

    private static Node input(Graph g, String name, DType dtype, Shape shape, SplittableRandom rng, Map<Node, double[]> feeds, Map<String, double[]> values) {
        Node p = g.placeholder(name, dtype, shape.dims());
        double[] v = new double[shape.elements()];
        for (int i = 0; i < v.length; i++) v[i] = dtype == DType.F32 ? (float) rng.nextDouble(-1, 1) : rng.nextDouble(-1, 1);
        feeds.put(p, v);
        values.put(name, v);
        return p;
    }

    private static void close(String what, double expected, double actual, double tol) {
        if (!(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)))) {
            throw new AssertionError(what + ": equations give " + expected + ", the layer " + actual);
        }
    }

    // ---- shapes, parameters, initial values ----

    @Test
    void outputShapesFollowReturnSequencesAndBidirectional() {
        for (Kind kind : Kind.values()) {
            for (boolean seq : new boolean[] {false, true}) {
                for (boolean bi : new boolean[] {false, true}) {
                    Graph g = new Graph();
                    Node x = g.placeholder("x", DType.F32, 2, 5, 3);
                    Recurrent layer = layer(kind, 4, seq, bi);
                    Recurrent.Output o = layer.build(x, "r0", null, null);
                    int w = bi ? 8 : 4;
                    assertEquals(seq ? Shape.of(2, 5, w) : Shape.of(2, w), o.output().shape(), kind + " seq=" + seq + " bi=" + bi);
                    assertEquals(Shape.of(2, w), o.h().shape());
                    assertEquals(kind == Kind.LSTM, o.c() != null);
                    assertEquals(bi ? 2 : 1, g.nodes().stream().filter(n -> n.op() instanceof tinynn.ops.Recurrence).count());
                }
            }
        }
    }

    /**
     * docs/rnn.md: the input products of all time steps are one GEMM per direction, [N·T, F]·[F, G·H] (the recurrence
     * node does the per-step h·W_hh products inside), never a matmul per time step.
     */
    @Test
    void theInputProductsOfAllStepsAreOneGemmPerDirection() {
        int n = 2, t = 5, f = 3;
        for (Recurrent layer : List.of(Recurrent.lstm(4, false, false), Recurrent.gru(4, true, true))) {
            String what = layer.type() + (layer.bidirectional() ? " bidirectional" : "");
            Graph g = new Graph();
            Node x = g.placeholder("x", DType.F32, n, t, f);
            layer.build(x, "r0");
            List<Node> matmuls = g.nodes().stream().filter(node -> node.op().type().equals("matmul")).toList();
            int directions = layer.bidirectional() ? 2 : 1;
            assertEquals(directions, matmuls.size(), what + ": one input product per direction, got " + matmuls);
            List<String> weights = new ArrayList<>();
            for (Node m : matmuls) {
                assertEquals(Shape.of(n * t, f), m.input(0).shape(), what + ": the product's rows are all N·T time steps");
                assertEquals(Shape.of(n * t, layer.kind().gates() * 4), m.shape(), what);
                weights.add(m.input(1).name());
            }
            assertEquals(directions == 2 ? List.of("r0.w_ih", "r0.w_ih_reverse") : List.of("r0.w_ih"), weights, what);
        }
    }

    @Test
    void parametersAreNamedAndInitialisedAsDocumented() {
        Model model = new Model(new Net(Recurrent.lstm(3, true, true), Recurrent.gru(2, false, false), new Dense(2)),
                Losses.mse(), new Adam(1e-3), new OjalgoBackend(), DType.F64, 5);
        model.build(Shape.of(1, 4, 5));
        Map<String, Tensor> p = model.parameters().asMap();
        assertEquals(List.of("lstm0.w_ih", "lstm0.w_hh", "lstm0.b", "lstm0.w_ih_reverse", "lstm0.w_hh_reverse", "lstm0.b_reverse",
                "gru1.w_ih", "gru1.w_hh", "gru1.b_ih", "gru1.b_hh", "dense2.w", "dense2.b"), List.copyOf(p.keySet()));
        assertEquals(Shape.of(5, 12), p.get("lstm0.w_ih").shape());
        assertEquals(Shape.of(6, 6), p.get("gru1.w_ih").shape()); // fed [forward | reverse] = 2·3 features
        for (String b : List.of("lstm0.b", "lstm0.b_reverse")) {
            double[] v = p.get(b).toDoubles();
            for (int i = 0; i < v.length; i++) assertEquals(i >= 3 && i < 6 ? 1.0 : 0.0, v[i], b + "[" + i + "]: forget slice 1, the rest 0");
        }
        for (double v : p.get("gru1.b_hh").toDoubles()) assertEquals(0.0, v);
        // w_hh orthogonal: its rows [H, 4H] are orthonormal.
        double[] u = p.get("lstm0.w_hh").toDoubles();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                for (int k = 0; k < 12; k++) dot += u[a * 12 + k] * u[b * 12 + k];
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-9, "w_hh rows " + a + ", " + b);
            }
        }
        Map<String, Object> attrs = new LinkedHashMap<>(Recurrent.lstm(3, false, false).attrs());
        attrs.put("b_init", "zeros");
        Model zero = new Model(new Net(Layers.create("lstm", attrs)), Losses.mse(), new Adam(1e-3), new OjalgoBackend(), DType.F64, 5);
        zero.build(Shape.of(1, 4, 5));
        for (double v : zero.parameters().get("lstm0.b").toDoubles()) assertEquals(0.0, v, "b_init given: no forget bias");
    }

    @Test
    void attributesRoundTripThroughLayersCreate() {
        List<Layer> layers = List.of(Recurrent.rnn(7, "relu", true, false), Recurrent.rnn(2, "tanh", false, true),
                Recurrent.lstm(5, true, true), Recurrent.gru(3, false, false),
                Layers.create("lstm", Map.of("hidden", 4L, "w_init", "he_uniform", "u_init", "xavier_normal", "b_init", "constant(0.5)")));
        for (Layer l : layers) {
            Layer again = Layers.create(l.type(), l.attrs());
            if (!l.attrs().containsKey("b_init")) assertEquals(l, again, l.type()); // initializers made by name are not values
            assertEquals(l.attrs().toString(), again.attrs().toString());
        }
        assertEquals(3, Layers.inputRank(List.of(Recurrent.lstm(4, false, false), new Dense(2))));
        assertEquals(3, Layers.inputRank(List.of(new Dropout(0.1), Recurrent.gru(4, false, false))));
    }

    @Test
    void errorsNameTheLayerAndTheFix() {
        Graph g = new Graph();
        Node flat = g.placeholder("x", DType.F32, 2, 5);
        GraphException e = assertThrows(GraphException.class, () -> Recurrent.lstm(4, false, false).build(flat, "lstm0"));
        assertTrue(e.getMessage().contains("layer 'lstm0'") && e.getMessage().contains("[batch, time, features]"), e.getMessage());
        Node x = g.placeholder("x3", DType.F32, 2, 5, 3);
        e = assertThrows(GraphException.class, () -> Recurrent.gru(4, false, true).build(x, "gru0", g.placeholder("h", DType.F32, 2, 4), null));
        assertTrue(e.getMessage().contains("h0 must be [2, 8]"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Layers.create("rnn", Map.of("hidden", 3L, "activation", "sigmoid")));
        assertTrue(bad.getMessage().contains("\"tanh\" or \"relu\""), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> Layers.create("gru", Map.of("hidden", 3L, "activation", "tanh")));
        assertTrue(bad.getMessage().contains("gru has no attribute 'activation'"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> Layers.create("lstm", Map.of()));
        assertTrue(bad.getMessage().contains("'hidden'"), bad.getMessage());
    }

    // ---- stacking and training ----

    @Test
    void stackedRecurrentLayersLearnASequenceTask() {
        // Is the first element of the sequence larger than the last? Needs the whole sequence: a stack of three
        // recurrent layers (sequences feeding the next) learns it on a fixed batch.
        Net net = new Net(Recurrent.lstm(8, true, false), Recurrent.gru(8, true, true), Recurrent.rnn(6, "tanh", false, false), new Dense(2));
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(0.02), new SimdBackend(1), DType.F32, 11);
        SplittableRandom rng = new SplittableRandom(4);
        int n = 32, t = 6;
        Tensor x = Tensor.zeros(DType.F32, Shape.of(n, t, 1)), y = Tensor.zeros(DType.F32, Shape.of(n, 2));
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < t; s++) x.set(b * t + s, rng.nextDouble(-1, 1));
            y.set(b * 2 + (x.get(b * t) > x.get(b * t + t - 1) ? 1 : 0), 1);
        }
        double first = model.trainStep(x, y), last = first;
        for (int i = 0; i < 150; i++) last = model.trainStep(x, y);
        assertTrue(last < 0.25 * first, "loss " + first + " → " + last);
    }
}
