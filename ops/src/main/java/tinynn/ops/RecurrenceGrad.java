package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Recurrence.Kind;

/**
 * Backpropagation through time for {@link Recurrence}: inputs (ws, dws, w_hh, h0, [c0 for LSTM]), where ws is the
 * forward workspace and dws the gradient of every workspace column (h, c, gates, hn), so that any slice of the
 * workspace gets a correct gradient. Output [N, T+1, P], P = G·H (GRU: 2·G·H). Row t &lt; T:
 * [d xp_t | d rec_t (GRU only)], where d rec_t is the gradient of the recurrent pre-activation
 * h_prev·W_hh + b_hh (it differs from d xp_t in the n gate, which r multiplies). Row T: [dh0 | dc0 (LSTM) | 0].
 * Without {@code state} (the initial state is a constant, so nothing needs dh0 or dc0) there is no row T: the output
 * is [N, T, P], and for RNN and LSTM it is d xp itself, with no slice to copy. Recurrence's gradient rule turns this
 * into dxp, dW_hh, dh0, dc0 and db_hh with slices and one GEMM.
 */
public record RecurrenceGrad(Kind kind, int hidden, boolean reverse, boolean state) implements Primitive {

    /** With the row of state gradients (dh0, dc0). */
    public RecurrenceGrad(Kind kind, int hidden, boolean reverse) { this(kind, hidden, reverse, true); }

    public String type() { return "recurrence_grad"; }

    public Shape shape(List<Node> in) {
        int arity = kind == Kind.LSTM ? 5 : 4;
        if (in.size() != arity) throw new GraphException(kind.label() + " recurrence_grad takes " + arity + " inputs, got " + in.size());
        Shape ws = in.get(0).shape(), dws = in.get(1).shape();
        if (ws.rank() != 3 || ws.dim(2) != kind.width() * hidden) throw new GraphException(kind.label() + " recurrence_grad: workspace must be [N, T, " + kind.width() * hidden + "], got " + ws);
        if (!dws.equals(ws)) throw new GraphException(kind.label() + " recurrence_grad: gradient " + dws + " does not match the workspace " + ws);
        return Shape.of(ws.dim(0), ws.dim(1) + (state ? 1 : 0), kind.gradWidth() * hidden);
    }

    public List<Node> vjp(Node self, Node g) {
        throw new GraphException("recurrence_grad: second derivatives through a " + kind.label() + " recurrence are not supported; differentiate the loss only once");
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] ws = in[0], dws = in[1], w = in[2], h0 = in[3], c0 = kind == Kind.LSTM ? in[4] : null;
        int n = shapes[0].dim(0), t = shapes[0].dim(1), h = hidden, g = kind.gates() * h, s = kind.width() * h, p = kind.gradWidth() * h;
        double[] r = new double[out.elements()];
        for (int b = 0; b < n; b++) {
            double[] dhNext = new double[h], dcNext = new double[h]; // gradients reaching h_t, c_t from the step after t
            for (int step = t - 1; step >= 0; step--) {
                int time = reverse ? t - 1 - step : step, prevTime = reverse ? time + 1 : time - 1;
                int o = (b * t + time) * s, q = (b * t + time + (state ? b : 0)) * p; // T+1 rows per example with state
                double[] hprev = new double[h], cprev = new double[h];
                for (int j = 0; j < h; j++) {
                    hprev[j] = step == 0 ? h0[b * h + j] : ws[(b * t + prevTime) * s + j];
                    if (c0 != null) cprev[j] = step == 0 ? c0[b * h + j] : ws[(b * t + prevTime) * s + h + j];
                }
                double[] drec = new double[g], direct = new double[h];
                for (int j = 0; j < h; j++) {
                    double dh = dws[o + j] + dhNext[j];
                    switch (kind) {
                        case RNN_TANH -> { double y = ws[o + j]; drec[j] = r[q + j] = dh * (1 - y * y); }
                        case RNN_RELU -> drec[j] = r[q + j] = ws[o + j] > 0 ? dh : 0;
                        case LSTM -> {
                            double c = ws[o + h + j], i = ws[o + 2 * h + j], f = ws[o + 3 * h + j], gg = ws[o + 4 * h + j], og = ws[o + 5 * h + j];
                            double tc = Math.tanh(c);
                            double dc = dws[o + h + j] + dcNext[j] + dh * og * (1 - tc * tc);
                            double di = dc * gg + dws[o + 2 * h + j], df = dc * cprev[j] + dws[o + 3 * h + j];
                            double dg = dc * i + dws[o + 4 * h + j], dout = dh * tc + dws[o + 5 * h + j];
                            drec[j] = r[q + j] = di * i * (1 - i);
                            drec[h + j] = r[q + h + j] = df * f * (1 - f);
                            drec[2 * h + j] = r[q + 2 * h + j] = dg * (1 - gg * gg);
                            drec[3 * h + j] = r[q + 3 * h + j] = dout * og * (1 - og);
                            dcNext[j] = dc * f;
                        }
                        case GRU -> {
                            double rg = ws[o + h + j], z = ws[o + 2 * h + j], nn = ws[o + 3 * h + j], hn = ws[o + 4 * h + j];
                            double dn = dh * (1 - z) + dws[o + 3 * h + j], dz = dh * (hprev[j] - nn) + dws[o + 2 * h + j];
                            double dnPre = dn * (1 - nn * nn);
                            double dhn = dnPre * rg + dws[o + 4 * h + j];
                            double dr = dnPre * hn + dws[o + h + j];
                            drec[j] = r[q + j] = r[q + g + j] = dr * rg * (1 - rg);
                            drec[h + j] = r[q + h + j] = r[q + g + h + j] = dz * z * (1 - z);
                            r[q + 2 * h + j] = dnPre;
                            drec[2 * h + j] = r[q + g + 2 * h + j] = dhn;
                            direct[j] = dh * z;
                        }
                    }
                }
                for (int j = 0; j < h; j++) {
                    double sum = direct[j];
                    for (int k = 0; k < g; k++) sum += drec[k] * w[j * g + k];
                    dhNext[j] = sum;
                }
            }
            int last = (b * (t + 1) + t) * p;
            for (int j = 0; j < h && state; j++) {
                r[last + j] = dhNext[j];
                if (kind == Kind.LSTM) r[last + h + j] = dcNext[j];
            }
        }
        return r;
    }

    public Map<String, Object> attrs() { return new Recurrence(kind, hidden, reverse).attrs(); }
}
