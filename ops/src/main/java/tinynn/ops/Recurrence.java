package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Leaf;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * A recurrent layer's loop over time as one op (see docs/rnn.md for the equations, PyTorch's gate conventions).
 * The input products are not part of it: xp [N, T, G·H] = x·W_ih + b is one GEMM over all N·T rows, made by the
 * layer. Inputs: xp, w_hh [H, G·H], h0 [N, H]; LSTM adds c0 [N, H], GRU adds b_hh [1, G·H] (its n gate needs the
 * recurrent product and its bias apart from the input's). The output is the workspace ws [N, T, S] indexed by
 * real time t, whose first H columns are the hidden states:
 * <pre>
 *   RNN  S = H : [h]
 *   LSTM S = 6H: [h | c | i | f | g | o]   (gates after their activation)
 *   GRU  S = 5H: [h | r | z | n | hn]       (hn = h_prev·W_hn + b_hn, before r⊙)
 * </pre>
 * With {@code reverse} the loop runs t = T−1 … 0 and the "previous" state is h_{t+1}. The gradient is one
 * {@link RecurrenceGrad} node (backpropagation through time) and, outside it, one GEMM for dW_hh.
 */
public record Recurrence(Kind kind, int hidden, boolean reverse) implements Primitive {

    /** The cell; {@code gates} G and the workspace width S/H. */
    public enum Kind {
        RNN_TANH(1, 1), RNN_RELU(1, 1), LSTM(4, 6), GRU(3, 5);

        private final int gates, width;

        Kind(int gates, int width) {
            this.gates = gates;
            this.width = width;
        }

        /** G: gate blocks in xp, W_hh and b (RNN 1, LSTM 4, GRU 3). */
        public int gates() { return gates; }

        /** S/H: hidden-sized blocks per workspace row. */
        public int width() { return width; }

        /** P/H: blocks per row of {@link RecurrenceGrad}'s output (GRU keeps d rec apart from d xp). */
        public int gradWidth() { return this == GRU ? 2 * gates : gates; }

        /** The name model files use, as the layers say it: "rnn_tanh", "lstm", ... */
        public String label() { return name().toLowerCase(); }

        public static Kind of(String label) {
            for (Kind k : values()) if (k.label().equals(label)) return k;
            throw new GraphException("unknown recurrence kind '" + label + "'; use one of rnn_tanh, rnn_relu, lstm, gru");
        }
    }

    public Recurrence {
        if (kind == null) throw new GraphException("recurrence: kind missing");
        if (hidden < 1) throw new GraphException("recurrence: hidden size must be positive, got " + hidden);
    }

    public String type() { return "recurrence"; }

    /** Inputs this kind takes: xp, w_hh, h0, then c0 (LSTM) or b_hh (GRU). */
    int arity() { return kind == Kind.LSTM || kind == Kind.GRU ? 4 : 3; }

    public Shape shape(List<Node> in) {
        if (in.size() != arity()) throw new GraphException(kind.label() + " recurrence takes " + arity() + " inputs, got " + in.size());
        Shape xp = in.get(0).shape(), w = in.get(1).shape(), h0 = in.get(2).shape();
        int h = hidden, gh = kind.gates() * h;
        if (xp.rank() != 3 || xp.dim(2) != gh) throw new GraphException(kind.label() + " recurrence: input projection must be [N, T, " + gh + "], got " + xp);
        if (xp.dim(1) < 1) throw new GraphException(kind.label() + " recurrence: needs at least one time step, got " + xp);
        if (!w.equals(Shape.of(h, gh))) throw new GraphException(kind.label() + " recurrence: w_hh must be [" + h + ", " + gh + "], got " + w);
        Shape state = Shape.of(xp.dim(0), h);
        if (!h0.equals(state)) throw new GraphException(kind.label() + " recurrence: h0 must be " + state + ", got " + h0);
        if (kind == Kind.LSTM && !in.get(3).shape().equals(state)) throw new GraphException("lstm recurrence: c0 must be " + state + ", got " + in.get(3).shape());
        if (kind == Kind.GRU && in.get(3).shape().size() != gh) throw new GraphException("gru recurrence: b_hh must be [1, " + gh + "], got " + in.get(3).shape());
        return Shape.of(xp.dim(0), xp.dim(1), kind.width() * h);
    }

    public List<Node> vjp(Node self, Node g) {
        Node xp = self.input(0), w = self.input(1), h0 = self.input(2);
        int n = xp.shape().dim(0), t = xp.shape().dim(1), h = hidden, gh = kind.gates() * h;
        Node[] gradIn = kind == Kind.LSTM ? new Node[] {self, g, w, h0, self.input(3)} : new Node[] {self, g, w, h0};
        // A constant initial state (the layers' zeros) needs no gradient: the backward then writes no dh0/dc0 row,
        // and for RNN and LSTM its output is dxp itself rather than a slice copied out of it every step.
        boolean state = !(h0.op() instanceof Leaf.Constant) || kind == Kind.LSTM && !(self.input(3).op() instanceof Leaf.Constant);
        Node grad = self.graph().add(new RecurrenceGrad(kind, hidden, reverse, state), gradIn);
        Node dxp = !state && kind != Kind.GRU ? grad : Ops.slice(grad, new int[] {0, 0, 0}, new int[] {n, t, gh});
        Node drec = kind == Kind.GRU ? Ops.slice(grad, new int[] {0, 0, gh}, new int[] {n, t, 2 * gh}) : dxp;
        // h_prev at every step, h0 where the loop starts: dW_hh = Σ_t h_prevᵀ·d rec_t is then one GEMM over N·T rows.
        Node hs = Ops.slice(self, 2, 0, h), first = Ops.reshape(h0, Shape.of(n, 1, h));
        Node hprev = t == 1 ? first : reverse ? Ops.concat(1, Ops.slice(hs, 1, 1, t), first) : Ops.concat(1, first, Ops.slice(hs, 1, 0, t - 1));
        Node rows = Ops.reshape(drec, Shape.of(n * t, gh));
        Node dw = Ops.matmul(Ops.reshape(hprev, Shape.of(n * t, h)), rows, true, false);
        // Without the state row, dh0 and dc0 are null: autodiff then gives the constants no gradient.
        Node dh0 = state ? Ops.reshape(Ops.slice(grad, new int[] {0, t, 0}, new int[] {n, t + 1, h}), Shape.of(n, h)) : null;
        return switch (kind) {
            case RNN_TANH, RNN_RELU -> Arrays.asList(dxp, dw, dh0);
            case LSTM -> Arrays.asList(dxp, dw, dh0, state ? Ops.reshape(Ops.slice(grad, new int[] {0, t, h}, new int[] {n, t + 1, 2 * h}), Shape.of(n, h)) : null);
            case GRU -> Arrays.asList(dxp, dw, dh0, Ops.sumTo(rows, self.input(3).shape()));
        };
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] xp = in[0], w = in[1], h0 = in[2];
        int n = shapes[0].dim(0), t = shapes[0].dim(1), h = hidden, g = kind.gates() * h, s = kind.width() * h;
        double[] ws = new double[out.elements()];
        for (int b = 0; b < n; b++) {
            double[] hprev = Arrays.copyOfRange(h0, b * h, b * h + h);
            double[] cprev = kind == Kind.LSTM ? Arrays.copyOfRange(in[3], b * h, b * h + h) : null;
            for (int step = 0; step < t; step++) {
                int time = reverse ? t - 1 - step : step, x = (b * t + time) * g, o = (b * t + time) * s;
                double[] rec = new double[g]; // h_prev·W_hh
                for (int k = 0; k < g; k++) for (int j = 0; j < h; j++) rec[k] += hprev[j] * w[j * g + k];
                double[] hnew = new double[h];
                for (int j = 0; j < h; j++) {
                    switch (kind) {
                        case RNN_TANH -> hnew[j] = Math.tanh(xp[x + j] + rec[j]);
                        case RNN_RELU -> hnew[j] = Math.max(0, xp[x + j] + rec[j]);
                        case LSTM -> {
                            double i = sigmoid(xp[x + j] + rec[j]), f = sigmoid(xp[x + h + j] + rec[h + j]);
                            double gg = Math.tanh(xp[x + 2 * h + j] + rec[2 * h + j]), og = sigmoid(xp[x + 3 * h + j] + rec[3 * h + j]);
                            double c = f * cprev[j] + i * gg;
                            hnew[j] = og * Math.tanh(c);
                            cprev[j] = c;
                            ws[o + h + j] = c;
                            ws[o + 2 * h + j] = i;
                            ws[o + 3 * h + j] = f;
                            ws[o + 4 * h + j] = gg;
                            ws[o + 5 * h + j] = og;
                        }
                        case GRU -> {
                            double[] bh = in[3];
                            double r = sigmoid(xp[x + j] + rec[j] + bh[j]), z = sigmoid(xp[x + h + j] + rec[h + j] + bh[h + j]);
                            double hn = rec[2 * h + j] + bh[2 * h + j];
                            double nn = Math.tanh(xp[x + 2 * h + j] + r * hn);
                            hnew[j] = (1 - z) * nn + z * hprev[j];
                            ws[o + h + j] = r;
                            ws[o + 2 * h + j] = z;
                            ws[o + 3 * h + j] = nn;
                            ws[o + 4 * h + j] = hn;
                        }
                    }
                    ws[o + j] = hnew[j];
                }
                hprev = hnew;
            }
        }
        return ws;
    }

    static double sigmoid(double v) { return Unary.Kind.SIGMOID.apply(v); }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new java.util.LinkedHashMap<>();
        a.put("kind", kind.label());
        a.put("hidden", hidden);
        a.put("reverse", reverse);
        return a;
    }
}
