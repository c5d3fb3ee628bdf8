package tinynn.runtime;

import tinynn.graph.Shape;

/**
 * Walks a broadcast: for each row of the output's last axis, where the matching rows of the
 * inputs start and how they step. Inputs have stride 0 along axes they are broadcast over.
 * A walker is reusable ({@link #of}): kernels take their thread's one, so a training step that
 * broadcasts (batch norm, layer norm) allocates nothing.
 */
final class Broadcast {
    private static final ThreadLocal<Broadcast> WALKER = ThreadLocal.withInitial(Broadcast::new);

    private int rank;
    private int[] dims = new int[0];
    private final int[][] strides = {new int[0], new int[0]};
    private int[] idx = new int[0];
    int inner;
    int rows;

    private Broadcast() {}

    /** This thread's walker over out ← in. */
    static Broadcast of(Shape out, Shape in) {
        Broadcast b = WALKER.get();
        b.reset(out);
        b.strides[0] = strides(out, in, b.strides[0]);
        return b;
    }

    /** This thread's walker over out ← (a, b). */
    static Broadcast of(Shape out, Shape a, Shape b) {
        Broadcast w = of(out, a);
        w.strides[1] = strides(out, b, w.strides[1]);
        return w;
    }

    private void reset(Shape out) {
        rank = out.rank();
        if (dims.length < rank) {
            dims = new int[rank];
            idx = new int[rank];
        }
        for (int i = 0; i < rank; i++) {
            dims[i] = out.dim(i);
            idx[i] = 0;
        }
        inner = rank == 0 ? 1 : dims[rank - 1];
        rows = inner == 0 ? 0 : (int) (out.size() / inner);
    }

    /** Strides of in broadcast to out, into {@code st} when it is large enough. */
    private static int[] strides(Shape out, Shape in, int[] st) {
        int r = out.rank();
        if (st.length < r) st = new int[r];
        int stride = 1;
        for (int i = r - 1, j = in.rank() - 1; i >= 0; i--, j--) {
            int d = j >= 0 ? in.dim(j) : 1;
            st[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return st;
    }

    /** Step of input k along the last axis. */
    int step(int k) { return rank == 0 ? 0 : strides[k][rank - 1]; }

    /** Offset of input k at the start of the current row. */
    int offset(int k) {
        int off = 0;
        int[] s = strides[k];
        for (int i = 0; i < rank - 1; i++) off += idx[i] * s[i];
        return off;
    }

    /** Advances to the next row. */
    void next() {
        for (int i = rank - 2; i >= 0; i--) {
            if (++idx[i] < dims[i]) return;
            idx[i] = 0;
        }
    }
}
