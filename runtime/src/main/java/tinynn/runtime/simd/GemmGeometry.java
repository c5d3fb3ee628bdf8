package tinynn.runtime.simd;

/**
 * The integer and cost arithmetic of the blocked GEMM that does not depend on the element type, shared by
 * {@link GemmF64} and the float32 twin generated from it (so it is written once, in double, for both).
 */
final class GemmGeometry {

    /** Relative cost of packing one element, in micro-kernel multiply-adds. */
    private static final double PACK_COST = 10;

    private GemmGeometry() {
    }

    /**
     * Whether {@code threads} threads should split C into bands of rows (true) or of columns: every thread packs
     * all of B for a row split, all of A for a column split; the choice minimises that plus the load imbalance of
     * whole micro-tiles ({@code rowSlivers} and {@code colSlivers} of them).
     */
    static boolean splitRows(int m, int n, int k, int threads, int rowSlivers, int colSlivers) {
        double work = (double) m * n * k;
        double rowCost = work / (threads * balance(rowSlivers, threads)) + PACK_COST * ((double) m * k / threads + (double) k * n);
        double colCost = work / (threads * balance(colSlivers, threads)) + PACK_COST * ((double) m * k + (double) k * n / threads);
        return rowCost <= colCost;
    }

    /** Fraction of useful work when {@code slivers} equal pieces are dealt to {@code threads} threads. */
    private static double balance(int slivers, int threads) {
        return slivers / (double) (threads * ceilDiv(slivers, threads));
    }

    static int clamp(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    static int gcd(int x, int y) {
        return y == 0 ? x : gcd(y, x % y);
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
