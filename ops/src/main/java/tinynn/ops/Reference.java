package tinynn.ops;

import tinynn.graph.Shape;

/** Index arithmetic shared by the reference forwards; speed does not matter here, clarity does. */
final class Reference {
    private Reference() {}

    /** For each element of {@code out}, the index of the element of {@code in} broadcast onto it. */
    static int[] broadcastIndex(Shape out, Shape in) {
        int rank = out.rank(), n = out.elements();
        int[] strides = new int[rank];
        for (int i = rank - 1, j = in.rank() - 1, s = 1; i >= 0; i--, j--) {
            int d = j >= 0 ? in.dim(j) : 1;
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
        int[] index = new int[n];
        int[] pos = new int[rank];
        for (int p = 0; p < n; p++) {
            int k = 0;
            for (int i = 0; i < rank; i++) k += pos[i] * strides[i];
            index[p] = k;
            for (int i = rank - 1; i >= 0 && ++pos[i] == out.dim(i); i--) pos[i] = 0;
        }
        return index;
    }

    /** Softmax of each row (last axis) of x, max-subtracted. */
    static double[] softmaxRows(double[] x, int cols) {
        double[] out = new double[x.length];
        for (int o = 0; o < x.length; o += cols) {
            double m = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) m = Math.max(m, x[o + c]);
            for (int c = 0; c < cols; c++) sum += Math.exp(x[o + c] - m);
            for (int c = 0; c < cols; c++) out[o + c] = Math.exp(x[o + c] - m) / sum;
        }
        return out;
    }
}
