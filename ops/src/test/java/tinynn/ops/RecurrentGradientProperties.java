package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tinynn.ops.GradCheck.Input.between;
import static tinynn.ops.GradCheck.Input.of;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.ops.GradCheck.Input;
import tinynn.ops.Recurrence.Kind;
import tinynn.ops.nn.Recurrent;

/**
 * rnn (tanh, relu), lstm and gru against finite differences in float64: the layers' whole computation (input GEMM,
 * recurrence, slices, the bidirectional concat) with their weights as inputs, both directions, return_sequences
 * both ways, T = 1 and T > 1, batch 1 and more, zero or explicit initial states; and the recurrence's gradient
 * for every block of workspace columns on its own.
 */
class RecurrentGradientProperties {

    @Property(tries = 60)
    void layers(@ForAll Kind kind, @ForAll boolean bidirectional, @ForAll boolean returnSequences, @ForAll boolean explicitState,
                @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 4) int t,
                @ForAll @IntRange(min = 1, max = 3) int f, @ForAll @IntRange(min = 1, max = 3) int h, @ForAll long seed) {
        Recurrent layer = layer(kind, h, returnSequences, bidirectional);
        int gh = kind.gates() * h, width = (bidirectional ? 2 : 1) * h;
        List<Input> in = new ArrayList<>(List.of(of("x", n, t, f)));
        int directions = bidirectional ? 2 : 1;
        for (int d = 0; d < directions; d++) {
            in.add(of("w_ih" + d, f, gh));
            in.add(between("w_hh" + d, -1, 1, h, gh));
            in.add(of("b" + d, 1, gh));
            if (kind == Kind.GRU) in.add(of("b_hh" + d, 1, gh));
        }
        if (explicitState) in.add(of("h0", n, width));
        if (explicitState && kind == Kind.LSTM) in.add(of("c0", n, width));
        Input[] inputs = in.toArray(Input[]::new);
        String what = kind.label() + (bidirectional ? " bidirectional" : "") + (returnSequences ? " sequences" : "") + " N=" + n + " T=" + t;
        GradCheck.check(what + " output", seed, x -> run(layer, kind, x, directions, explicitState).output(), inputs);
        GradCheck.check(what + " final state", seed, x -> {
            Recurrent.Output o = run(layer, kind, x, directions, explicitState);
            return o.c() == null ? o.h() : Ops.concat(-1, o.h(), o.c());
        }, inputs);
    }

    /** The edge the random draws may miss: one time step and one example, every kind and layout, both state kinds. */
    @Test
    void oneStepOneExample() {
        for (Kind kind : Kind.values()) {
            for (boolean bi : new boolean[] {false, true}) {
                for (boolean seq : new boolean[] {false, true}) {
                    for (boolean state : new boolean[] {false, true}) layers(kind, bi, seq, state, 1, 1, 2, 2, 17);
                }
            }
        }
    }

    /**
     * T > 1 without relying on the random draws: three time steps (so a step has both a previous and a next one),
     * batch 1 and 2, every kind and layout, both state kinds.
     */
    @Test
    void threeStepsEveryKindAndLayout() {
        for (Kind kind : Kind.values()) {
            for (boolean bi : new boolean[] {false, true}) {
                for (boolean seq : new boolean[] {false, true}) {
                    for (int n : new int[] {1, 2}) {
                        for (boolean state : new boolean[] {false, true}) layers(kind, bi, seq, state, n, 3, 2, 2, 29);
                    }
                }
            }
        }
    }

    private static Recurrent.Output run(Recurrent layer, Kind kind, List<Node> x, int directions, boolean explicitState) {
        int k = 1, per = kind == Kind.GRU ? 4 : 3;
        Recurrent.Weights fw = weights(x, k, kind);
        Recurrent.Weights bw = directions == 2 ? weights(x, k + per, kind) : null;
        int next = k + per * directions;
        Node h0 = explicitState ? x.get(next) : null;
        Node c0 = explicitState && kind == Kind.LSTM ? x.get(next + 1) : null;
        return layer.apply(x.getFirst(), fw, bw, h0, c0);
    }

    private static Recurrent.Weights weights(List<Node> x, int at, Kind kind) {
        return new Recurrent.Weights(x.get(at), x.get(at + 1), x.get(at + 2), kind == Kind.GRU ? x.get(at + 3) : null);
    }

    static Recurrent layer(Kind kind, int h, boolean returnSequences, boolean bidirectional) {
        return switch (kind) {
            case RNN_TANH -> Recurrent.rnn(h, "tanh", returnSequences, bidirectional);
            case RNN_RELU -> Recurrent.rnn(h, "relu", returnSequences, bidirectional);
            case LSTM -> Recurrent.lstm(h, returnSequences, bidirectional);
            case GRU -> Recurrent.gru(h, returnSequences, bidirectional);
        };
    }

    /** Each block of H workspace columns (h, c, i, f, g, o; h, r, z, n, hn) as the only output: dws is read in every one. */
    @Property(tries = 30)
    void everyWorkspaceColumn(@ForAll Kind kind, @ForAll boolean reverse, @ForAll @IntRange(min = 1, max = 2) int n,
                              @ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 3) int h, @ForAll long seed) {
        int gh = kind.gates() * h;
        for (int block = 0; block < kind.width(); block++) {
            int from = block * h;
            Input extra = kind == Kind.LSTM ? of("c0", n, h) : kind == Kind.GRU ? of("b_hh", 1, gh) : null;
            Input[] inputs = extra == null
                    ? new Input[] {of("xp", n, t, gh), between("w_hh", -1, 1, h, gh), of("h0", n, h)}
                    : new Input[] {of("xp", n, t, gh), between("w_hh", -1, 1, h, gh), of("h0", n, h), extra};
            GradCheck.check(kind.label() + " workspace block " + block + (reverse ? " reverse" : ""), seed, x -> {
                Node ws = Ops.recurrence(kind, reverse, x.get(0), x.get(1), x.get(2), x.size() > 3 ? x.get(3) : null);
                return Ops.slice(ws, 2, from, from + h);
            }, inputs);
        }
    }

    @Test
    void secondDerivativesAreRefused() {
        Graph g = new Graph();
        Node xp = g.placeholder("xp", DType.F64, 1, 2, 4 * 3), w = g.placeholder("w", DType.F64, 3, 12);
        Node h0 = g.placeholder("h0", DType.F64, 1, 3), c0 = g.placeholder("c0", DType.F64, 1, 3);
        Node ws = Ops.recurrence(Kind.LSTM, false, xp, w, h0, c0);
        Node dxp = Autodiff.gradients(Ops.sumAll(Ops.mul(ws, ws)), List.of(xp)).get(xp);
        GraphException e = assertThrows(GraphException.class, () -> Autodiff.gradients(Ops.sumAll(dxp), List.of(xp)));
        assertTrue(e.getMessage().contains("second derivatives"), e.getMessage());
    }
}
