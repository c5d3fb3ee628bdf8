package tinynn.runtime;

import tinynn.graph.Shape;

/**
 * Walks a broadcast: for each row of the output's last axis, where the matching rows of the
 * inputs start and how they step. Inputs have stride 0 along axes they are broadcast over.
 */
final class Broadcast {
    private final int[] dims;
    private final int[][] strides;
    private final int[] idx;
    final int inner;
    final int rows;

    Broadcast(Shape out, Shape... inputs) {
        dims = out.dims();
        strides = new int[inputs.length][];
        for (int k = 0; k < inputs.length; k++) strides[k] = strides(out, inputs[k]);
        idx = new int[dims.length];
        inner = dims.length == 0 ? 1 : dims[dims.length - 1];
        rows = inner == 0 ? 0 : (int) (out.size() / inner);
    }

    static int[] strides(Shape out, Shape in) {
        int r = out.rank();
        int[] st = new int[r];
        int stride = 1;
        for (int i = r - 1, j = in.rank() - 1; i >= 0; i--, j--) {
            int d = j >= 0 ? in.dim(j) : 1;
            st[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return st;
    }

    /** Step of input k along the last axis. */
    int step(int k) { return dims.length == 0 ? 0 : strides[k][dims.length - 1]; }

    /** Offset of input k at the start of the current row. */
    int offset(int k) {
        int off = 0;
        int[] s = strides[k];
        for (int i = 0; i < dims.length - 1; i++) off += idx[i] * s[i];
        return off;
    }

    void reset() { java.util.Arrays.fill(idx, 0); }

    /** Advances to the next row. */
    void next() {
        for (int i = dims.length - 2; i >= 0; i--) {
            if (++idx[i] < dims[i]) return;
            idx[i] = 0;
        }
    }
}
