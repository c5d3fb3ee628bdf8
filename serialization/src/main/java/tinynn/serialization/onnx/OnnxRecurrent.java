package tinynn.serialization.onnx;

import static tinynn.serialization.onnx.OnnxGraph.i;
import static tinynn.serialization.onnx.OnnxGraph.ints;
import static tinynn.serialization.onnx.OnnxGraph.s;
import static tinynn.serialization.onnx.OnnxGraph.strings;

import java.util.ArrayList;
import java.util.List;
import tinynn.ops.Recurrence.Kind;
import tinynn.ops.nn.Recurrent;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;
import tinynn.serialization.onnx.proto.AttributeProto;

/**
 * A recurrent layer as one ONNX RNN, LSTM or GRU node (docs/onnx.md, "Recurrent layers").
 *
 * <p>The gate blocks are reordered: ONNX's LSTM is [i | o | f | c] where ours is PyTorch's [i | f | g | o]; ONNX's
 * GRU is [z | r | h] where ours is [r | z | n], and linear_before_reset = 1 is PyTorch's GRU (r multiplies
 * h·R_h + Rb_h). ONNX stores W [dirs, G·H, F] and R [dirs, G·H, H], our w_ih [F, G·H] and w_hh [H, G·H] transposed,
 * and one bias B [dirs, 2·G·H] = [Wb | Rb]: the lstm's and rnn's single bias is Wb with Rb = 0, the gru's b_ih and
 * b_hh are Wb and Rb. ONNX Runtime runs only the time-major layout 0, so the input is transposed from [N, T, F] to
 * [T, N, F] and the outputs back: Y [T, dirs, N, H] → [N, T, dirs·H], Y_h [dirs, N, H] → [N, dirs·H], which is
 * [forward | reverse] on the last axis, as tinynn concatenates them.
 */
final class OnnxRecurrent {
    private final OnnxGraph g;
    private final Parameters params;

    OnnxRecurrent(OnnxGraph g, Parameters params) {
        this.g = g;
        this.params = params;
    }

    /** For ONNX gate block k, the block of tinynn's layout that holds it. */
    static int[] gateOrder(Kind kind) {
        return switch (kind) {
            case LSTM -> new int[] {0, 3, 1, 2};  // ONNX i, o, f, c  ←  ours i, f, g, o
            case GRU -> new int[] {1, 0, 2};      // ONNX z, r, h     ←  ours r, z, n
            case RNN_TANH, RNN_RELU -> new int[] {0};
        };
    }

    /** For tinynn's gate block j, the ONNX block that holds it: the inverse of {@link #gateOrder}, for the import. */
    static int[] oursFromOnnx(Kind kind) {
        int[] order = gateOrder(kind), inverse = new int[order.length];
        for (int k = 0; k < order.length; k++) inverse[order[k]] = k;
        return inverse;
    }

    String add(String n, Recurrent r, String x) {
        int h = r.hidden(), gates = r.kind().gates(), gh = gates * h, dirs = r.bidirectional() ? 2 : 1;
        int[] order = gateOrder(r.kind());
        String[] suffixes = r.bidirectional() ? new String[] {"", "_reverse"} : new String[] {""};
        Tensor first = params.get(n + ".w_ih");
        int f = first.shape().dim(0);
        float[] w = new float[dirs * gh * f], rec = new float[dirs * gh * h], b = new float[dirs * 2 * gh];
        for (int d = 0; d < dirs; d++) {
            String sfx = suffixes[d];
            transposeGates(OnnxExporter.floats(params.get(n + ".w_ih" + sfx)), f, h, order, w, d * gh * f);
            transposeGates(OnnxExporter.floats(params.get(n + ".w_hh" + sfx)), h, h, order, rec, d * gh * h);
            boolean gru = r.kind() == Kind.GRU;
            reorderBias(OnnxExporter.floats(params.get(n + (gru ? ".b_ih" : ".b") + sfx)), h, order, b, d * 2 * gh);
            if (gru) reorderBias(OnnxExporter.floats(params.get(n + ".b_hh" + sfx)), h, order, b, d * 2 * gh + gh);
        }
        String wName = g.floats(n + ".W", new long[] {dirs, gh, f}, w);
        String rName = g.floats(n + ".R", new long[] {dirs, gh, h}, rec);
        String bName = g.floats(n + ".B", new long[] {dirs, 2L * gh}, b);

        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(i("hidden_size", h));
        attrs.add(s("direction", r.bidirectional() ? "bidirectional" : "forward"));
        switch (r.kind()) {
            case GRU -> attrs.add(i("linear_before_reset", 1));
            case RNN_RELU -> attrs.add(r.bidirectional() ? strings("activations", "Relu", "Relu") : strings("activations", "Relu"));
            default -> { }
        }
        String op = switch (r.kind()) { case LSTM -> "LSTM"; case GRU -> "GRU"; case RNN_TANH, RNN_RELU -> "RNN"; };

        String timeMajor = g.node("Transpose", n, List.of(x), ints("perm", 1, 0, 2));
        String y = g.fresh(n + "/Y"), yh = g.fresh(n + "/Y_h");
        List<String> outputs = r.returnSequences() ? List.of(y) : List.of("", yh);
        g.nodeWithOutputs(op, n, List.of(timeMajor, wName, rName, bName), outputs, attrs.toArray(AttributeProto[]::new));
        if (r.returnSequences()) {
            String batchMajor = g.node("Transpose", n, List.of(y), ints("perm", 2, 0, 1, 3));            // [N, T, dirs, H]
            return g.node("Reshape", n, List.of(batchMajor, g.int64s(n + ".shape", 0, 0, (long) dirs * h)));
        }
        String batchMajor = g.node("Transpose", n, List.of(yh), ints("perm", 1, 0, 2));                  // [N, dirs, H]
        return g.node("Reshape", n, List.of(batchMajor, g.int64s(n + ".shape", 0, (long) dirs * h)));
    }

    /** src [rows, G·H] (our x·W layout) → dst[offset..] [G·H, rows] with the gate blocks in ONNX's order. */
    private static void transposeGates(float[] src, int rows, int h, int[] order, float[] dst, int offset) {
        int gh = order.length * h;
        for (int k = 0; k < order.length; k++) {
            for (int j = 0; j < h; j++) {
                int col = order[k] * h + j, outRow = k * h + j;
                for (int r = 0; r < rows; r++) dst[offset + outRow * rows + r] = src[r * gh + col];
            }
        }
    }

    private static void reorderBias(float[] src, int h, int[] order, float[] dst, int offset) {
        for (int k = 0; k < order.length; k++) System.arraycopy(src, order[k] * h, dst, offset + k * h, h);
    }
}
