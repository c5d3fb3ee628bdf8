package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.Recurrence;
import tinynn.ops.Recurrence.Kind;
import tinynn.ops.init.Initializers;

/**
 * The recurrent layers rnn, lstm and gru (PyTorch's gate conventions; equations in docs/rnn.md). Input [N, T, F];
 * output [N, T, H] with {@code returnSequences}, else the last hidden state [N, H] (×2 on the last axis when
 * bidirectional: [forward | reverse], the reverse direction's last state being its state at t = 0, as PyTorch's
 * h_n). Per direction: xp = x·W_ih + b as one GEMM over all N·T rows, then one {@link Recurrence} node. Parameters
 * "{name}.w_ih" [F, G·H], ".w_hh" [H, G·H], ".b" [1, G·H] (gru: ".b_ih" and ".b_hh"), the reverse direction's with
 * the suffix "_reverse". {@code bInit} null means the default: zeros, and for lstm the forget gate's slice 1.
 */
public record Recurrent(String type, Kind kind, int hidden, boolean returnSequences, boolean bidirectional,
                        Initializer wInit, Initializer uInit, Initializer bInit) implements Layer {

    /** What a build returns: the layer's output and its final state h [N, H] and c [N, H] (lstm; else null), ×2 when bidirectional. */
    public record Output(Node output, Node h, Node c) {}

    /** One direction's nodes: the workspace, the hidden-state sequence [N, T, H], and the final h and c. */
    public record Direction(Node ws, Node sequence, Node h, Node c) {}

    public Recurrent {
        if (hidden < 1) throw new GraphException(type + ": hidden must be positive, got " + hidden);
        String expected = switch (kind) { case RNN_TANH, RNN_RELU -> "rnn"; case LSTM -> "lstm"; case GRU -> "gru"; };
        if (!expected.equals(type)) throw new GraphException("layer type '" + type + "' does not run a " + kind.label() + " cell");
    }

    /** An Elman RNN with tanh or relu, Keras' default initializers. */
    public static Recurrent rnn(int hidden, String activation, boolean returnSequences, boolean bidirectional) {
        Kind kind = switch (activation) {
            case "tanh" -> Kind.RNN_TANH;
            case "relu" -> Kind.RNN_RELU;
            default -> throw new GraphException("rnn: activation must be \"tanh\" or \"relu\", got \"" + activation + "\"");
        };
        return new Recurrent("rnn", kind, hidden, returnSequences, bidirectional, Initializers.xavierUniform(), Initializers.orthogonal(), null);
    }

    public static Recurrent lstm(int hidden, boolean returnSequences, boolean bidirectional) {
        return new Recurrent("lstm", Kind.LSTM, hidden, returnSequences, bidirectional, Initializers.xavierUniform(), Initializers.orthogonal(), null);
    }

    public static Recurrent gru(int hidden, boolean returnSequences, boolean bidirectional) {
        return new Recurrent("gru", Kind.GRU, hidden, returnSequences, bidirectional, Initializers.xavierUniform(), Initializers.orthogonal(), null);
    }

    /** The layer a model spec or file describes (the inverse of {@link #attrs()}). */
    static Recurrent of(String type, Map<String, Object> attrs) {
        if (type.equals("rnn")) Attrs.only(type, attrs, "hidden", "activation", "return_sequences", "bidirectional", "w_init", "u_init", "b_init");
        else Attrs.only(type, attrs, "hidden", "return_sequences", "bidirectional", "w_init", "u_init", "b_init");
        if (!attrs.containsKey("hidden")) throw new IllegalArgumentException(type + " needs attribute 'hidden' (i), the size of its state");
        int hidden = Attrs.integer(attrs, "hidden", 0);
        if (hidden < 1) throw new IllegalArgumentException(type + ": 'hidden' must be positive, got " + hidden);
        boolean seq = Attrs.bool(attrs, "return_sequences", false), bi = Attrs.bool(attrs, "bidirectional", false);
        Recurrent base = switch (type) {
            case "rnn" -> {
                String activation = Attrs.string(attrs, "activation", "tanh");
                if (!activation.equals("tanh") && !activation.equals("relu")) {
                    throw new IllegalArgumentException("rnn: 'activation' must be \"tanh\" or \"relu\", got \"" + activation + "\"");
                }
                yield rnn(hidden, activation, seq, bi);
            }
            case "lstm" -> lstm(hidden, seq, bi);
            case "gru" -> gru(hidden, seq, bi);
            default -> throw new IllegalArgumentException("not a recurrent layer: " + type);
        };
        Initializer w = attrs.containsKey("w_init") ? Initializers.byName(Attrs.string(attrs, "w_init", null)) : base.wInit();
        Initializer u = attrs.containsKey("u_init") ? Initializers.byName(Attrs.string(attrs, "u_init", null)) : base.uInit();
        Initializer b = attrs.containsKey("b_init") ? Initializers.byName(Attrs.string(attrs, "b_init", null)) : null;
        return new Recurrent(type, base.kind(), hidden, seq, bi, w, u, b);
    }

    public Node build(Node x, String name) { return build(x, name, null, null).output(); }

    /**
     * The layer from an initial state: h0 [N, H] (null: zeros) and, for lstm, c0 [N, H] (null: zeros); [N, 2H]
     * split [forward | reverse] when bidirectional. Also returns the final state, for generating step by step.
     */
    public Output build(Node x, String name, Node h0, Node c0) {
        Graph g = x.graph();
        if (x.shape().rank() != 3) {
            throw new GraphException("layer '" + name + "': " + type + " needs [batch, time, features] input, got " + x.shape() + "; reshape the input first");
        }
        if (c0 != null && kind != Kind.LSTM) throw new GraphException("layer '" + name + "': " + type + " has no cell state; pass c0 = null");
        int n = x.shape().dim(0), f = x.shape().dim(2), width = (bidirectional ? 2 : 1) * hidden;
        checkState(name, "h0", h0, n, width);
        checkState(name, "c0", c0, n, width);
        Weights fw = params(g, name, "", f, x), bw = bidirectional ? params(g, name, "_reverse", f, x) : null;
        String outer = g.scope(name);
        try {
            return apply(x, fw, bw, h0, c0);
        } finally {
            g.scope(outer);
        }
    }

    /** One direction's weights: w_ih, w_hh, b (gru: b_ih) and gru's b_hh (else null). */
    public record Weights(Node wIh, Node wHh, Node b, Node bHh) {}

    /**
     * The layer's computation with explicit weights (bw: the reverse direction's, when bidirectional): what
     * {@link #build(Node, String, Node, Node)} runs on its parameters, and what gradient checks run on placeholders.
     */
    public Output apply(Node x, Weights fw, Weights bw, Node h0, Node c0) {
        Direction f = direction(kind, false, x, fw.wIh(), fw.wHh(), fw.b(), fw.bHh(), part(h0, 0), part(c0, 0));
        if (!bidirectional) return new Output(returnSequences ? f.sequence() : f.h(), f.h(), f.c());
        Direction r = direction(kind, true, x, bw.wIh(), bw.wHh(), bw.b(), bw.bHh(), part(h0, 1), part(c0, 1));
        Node h = Ops.concat(-1, f.h(), r.h());
        Node c = kind == Kind.LSTM ? Ops.concat(-1, f.c(), r.c()) : null;
        return new Output(returnSequences ? Ops.concat(-1, f.sequence(), r.sequence()) : h, h, c);
    }

    private void checkState(String name, String what, Node s, int n, int width) {
        if (s != null && !s.shape().equals(Shape.of(n, width))) {
            throw new GraphException("layer '" + name + "': " + what + " must be [" + n + ", " + width + "]" + (bidirectional ? " ([forward | reverse])" : "") + ", got " + s.shape());
        }
    }

    /** Direction d's half of a bidirectional state, the state itself otherwise. */
    private Node part(Node state, int d) {
        if (state == null || !bidirectional) return state;
        return Ops.slice(state, 1, d * hidden, (d + 1) * hidden);
    }

    private Weights params(Graph g, String name, String suffix, int features, Node x) {
        int gh = kind.gates() * hidden;
        Node wIh = g.parameter(name + ".w_ih" + suffix, x.dtype(), Shape.of(features, gh), wInit);
        Node wHh = g.parameter(name + ".w_hh" + suffix, x.dtype(), Shape.of(hidden, gh), uInit);
        if (kind == Kind.GRU) {
            Initializer b = bInit != null ? bInit : Initializers.zeros();
            return new Weights(wIh, wHh, g.parameter(name + ".b_ih" + suffix, x.dtype(), Shape.of(1, gh), b),
                    g.parameter(name + ".b_hh" + suffix, x.dtype(), Shape.of(1, gh), b));
        }
        Initializer b = bInit != null ? bInit : kind == Kind.LSTM ? unitForgetBias(hidden) : Initializers.zeros();
        return new Weights(wIh, wHh, g.parameter(name + ".b" + suffix, x.dtype(), Shape.of(1, gh), b), null);
    }

    /** Zeros with the forget gate's slice [H, 2H) set to 1 (Jozefowicz et al. 2015; Keras' unit_forget_bias). */
    static Initializer unitForgetBias(int hidden) {
        return new Initializer() {
            public double[] values(Shape shape, java.util.random.RandomGenerator rng) {
                double[] v = new double[shape.elements()];
                java.util.Arrays.fill(v, hidden, 2 * hidden, 1);
                return v;
            }

            public String describe() { return "unit_forget_bias"; }
        };
    }

    /**
     * One direction with explicit weights (the layer passes its parameters; gradient checks pass placeholders):
     * xp = x·W_ih + b over all N·T rows at once, then the recurrence. h0 and c0 null mean zeros; bHh is gru's.
     */
    public static Direction direction(Kind kind, boolean reverse, Node x, Node wIh, Node wHh, Node b, Node bHh, Node h0, Node c0) {
        Graph g = x.graph();
        int n = x.shape().dim(0), t = x.shape().dim(1), f = x.shape().dim(2), h = wHh.shape().dim(0), gh = wHh.shape().dim(1);
        if (t < 1) throw new GraphException(kind.label() + ": the sequence is empty (T = 0); give at least one time step");
        Node xp = Ops.reshape(Ops.add(Ops.matmul(Ops.reshape(x, Shape.of(n * t, f)), wIh), b), Shape.of(n, t, gh));
        Node state0 = h0 != null ? h0 : g.constant(0, x.dtype(), Shape.of(n, h));
        Node extra = switch (kind) {
            case LSTM -> c0 != null ? c0 : g.constant(0, x.dtype(), Shape.of(n, h));
            case GRU -> bHh;
            default -> null;
        };
        Node ws = Ops.recurrence(kind, reverse, xp, wHh, state0, extra);
        int last = reverse ? 0 : t - 1;
        Node hT = Ops.reshape(Ops.slice(ws, new int[] {0, last, 0}, new int[] {n, last + 1, h}), Shape.of(n, h));
        Node cT = kind == Kind.LSTM ? Ops.reshape(Ops.slice(ws, new int[] {0, last, h}, new int[] {n, last + 1, 2 * h}), Shape.of(n, h)) : null;
        return new Direction(ws, Ops.slice(ws, 2, 0, h), hT, cT);
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("hidden", hidden);
        if (type.equals("rnn")) a.put("activation", kind == Kind.RNN_RELU ? "relu" : "tanh");
        a.put("return_sequences", returnSequences);
        a.put("bidirectional", bidirectional);
        a.put("w_init", wInit.describe());
        a.put("u_init", uInit.describe());
        if (bInit != null) a.put("b_init", bInit.describe());
        return a;
    }
}
