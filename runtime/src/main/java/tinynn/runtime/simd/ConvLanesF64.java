package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link ConvF64}'s <b>lanes</b> strategy (unit stride): a vector holds LN output channels of one
 * output position, and each value of the zero-padded image is broadcast to them. The direct kernel computes wide rows
 * (all {@code bufW} columns of a padded row for the {@code OW} it keeps) in tiles of 6 channels; on LeNet's 6→16
 * layer that is 1.6x the useful multiply-adds in the forward pass and the weight gradient. Here, with the channel
 * count a multiple of LN (16 floats: LeNet's 16), every multiply-add is useful.
 * <ul>
 *   <li>forward: {@code outT[p, o] = Σ_d wT[d, o] · buf[off[d] + base(p)]}, in tiles of two output rows by 6, 4, 2 or 1
 *       positions (12, 8, 4 or 2 accumulators), where {@code base(y, x) = y·bufW + x}. The caller transposes outT
 *       ([position][channel]) into NCHW.</li>
 *   <li>weight gradient: {@code dwT[d, o] += Σ_p buf[off[d] + base(p)] · dyT[p, o]} for blocks of {@link #DEPTHS}
 *       depths; dyT is dy transposed by the caller. The sums stay per channel in the lanes: no lane reduction.</li>
 * </ul>
 * The offsets {@code off[d]} are those of the direct kernel (channel plane, kernel row and column, dilation).
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
final class ConvLanesF64 {
    private ConvLanesF64() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();
    /** Depths per weight-gradient block: 8 accumulators keep two FMA pipes of latency 4 busy. */
    static final int DEPTHS = 8;

    /**
     * outT[(y·ow + x)·ld + vo ..] = Σ_d w[wO + d·ld + vo ..] · buf[off[d] + y·bufW + x] for every output position
     * (tiles of two rows by 6, 4, 2 and 1 positions: 12 accumulators were 10% faster than 8 on LeNet's 6→16 layer):
     * one block of LN output channels (vo = block·LN; w is [depth][ld], outT [oh·ow][ld]).
     */
    static void forward(int depth, double[] w, int wO, int ld, double[] buf, int[] off, int bufW, int oh, int ow,
                        double[] outT, int vo) {
        wO += vo;
        for (int y0 = 0; y0 < oh; y0 += 2) {
            // An odd last row pairs with itself: computed twice, the same values stored twice.
            int y1 = Math.min(y0 + 1, oh - 1);
            int b0 = y0 * bufW, b1 = y1 * bufW, t0 = y0 * ow * ld + vo, t1 = y1 * ow * ld + vo;
            int x = 0;
            for (; x + 6 <= ow; x += 6) tile2x6(depth, w, wO, ld, buf, off, b0 + x, b1 + x, outT, t0 + x * ld, t1 + x * ld);
            for (; x + 4 <= ow; x += 4) tile2x4(depth, w, wO, ld, buf, off, b0 + x, b1 + x, outT, t0 + x * ld, t1 + x * ld);
            if (x + 2 <= ow) {
                tile2x2(depth, w, wO, ld, buf, off, b0 + x, b1 + x, outT, t0 + x * ld, t1 + x * ld);
                x += 2;
            }
            if (x < ow) tile2x1(depth, w, wO, ld, buf, off, b0 + x, b1 + x, outT, t0 + x * ld, t1 + x * ld);
        }
    }

    /** Two rows of six positions (image bases b0 and b1, results at t0 and t1 with stride ld). */
    static void tile2x6(int depth, double[] w, int wO, int ld, double[] buf, int[] off, int b0, int b1, double[] t,
                        int t0, int t1) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S), a2 = DoubleVector.zero(S), a3 = DoubleVector.zero(S);
        DoubleVector a4 = DoubleVector.zero(S), a5 = DoubleVector.zero(S), a6 = DoubleVector.zero(S), a7 = DoubleVector.zero(S);
        DoubleVector a8 = DoubleVector.zero(S), a9 = DoubleVector.zero(S), a10 = DoubleVector.zero(S), a11 = DoubleVector.zero(S);
        for (int d = 0; d < depth; d++, wO += ld) {
            DoubleVector wv = DoubleVector.fromArray(S, w, wO);
            int o0 = off[d] + b0, o1 = off[d] + b1;
            a0 = DoubleVector.broadcast(S, buf[o0]).fma(wv, a0);
            a1 = DoubleVector.broadcast(S, buf[o0 + 1]).fma(wv, a1);
            a2 = DoubleVector.broadcast(S, buf[o0 + 2]).fma(wv, a2);
            a3 = DoubleVector.broadcast(S, buf[o0 + 3]).fma(wv, a3);
            a4 = DoubleVector.broadcast(S, buf[o0 + 4]).fma(wv, a4);
            a5 = DoubleVector.broadcast(S, buf[o0 + 5]).fma(wv, a5);
            a6 = DoubleVector.broadcast(S, buf[o1]).fma(wv, a6);
            a7 = DoubleVector.broadcast(S, buf[o1 + 1]).fma(wv, a7);
            a8 = DoubleVector.broadcast(S, buf[o1 + 2]).fma(wv, a8);
            a9 = DoubleVector.broadcast(S, buf[o1 + 3]).fma(wv, a9);
            a10 = DoubleVector.broadcast(S, buf[o1 + 4]).fma(wv, a10);
            a11 = DoubleVector.broadcast(S, buf[o1 + 5]).fma(wv, a11);
        }
        a0.intoArray(t, t0);
        a1.intoArray(t, t0 + ld);
        a2.intoArray(t, t0 + 2 * ld);
        a3.intoArray(t, t0 + 3 * ld);
        a4.intoArray(t, t0 + 4 * ld);
        a5.intoArray(t, t0 + 5 * ld);
        a6.intoArray(t, t1);
        a7.intoArray(t, t1 + ld);
        a8.intoArray(t, t1 + 2 * ld);
        a9.intoArray(t, t1 + 3 * ld);
        a10.intoArray(t, t1 + 4 * ld);
        a11.intoArray(t, t1 + 5 * ld);
    }

    /** Two rows of four positions (image bases b0 and b1, results at t0 and t1 with stride ld). */
    static void tile2x4(int depth, double[] w, int wO, int ld, double[] buf, int[] off, int b0, int b1, double[] t,
                        int t0, int t1) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S), a2 = DoubleVector.zero(S), a3 = DoubleVector.zero(S);
        DoubleVector a4 = DoubleVector.zero(S), a5 = DoubleVector.zero(S), a6 = DoubleVector.zero(S), a7 = DoubleVector.zero(S);
        for (int d = 0; d < depth; d++, wO += ld) {
            DoubleVector wv = DoubleVector.fromArray(S, w, wO);
            int o0 = off[d] + b0, o1 = off[d] + b1;
            a0 = DoubleVector.broadcast(S, buf[o0]).fma(wv, a0);
            a1 = DoubleVector.broadcast(S, buf[o0 + 1]).fma(wv, a1);
            a2 = DoubleVector.broadcast(S, buf[o0 + 2]).fma(wv, a2);
            a3 = DoubleVector.broadcast(S, buf[o0 + 3]).fma(wv, a3);
            a4 = DoubleVector.broadcast(S, buf[o1]).fma(wv, a4);
            a5 = DoubleVector.broadcast(S, buf[o1 + 1]).fma(wv, a5);
            a6 = DoubleVector.broadcast(S, buf[o1 + 2]).fma(wv, a6);
            a7 = DoubleVector.broadcast(S, buf[o1 + 3]).fma(wv, a7);
        }
        a0.intoArray(t, t0);
        a1.intoArray(t, t0 + ld);
        a2.intoArray(t, t0 + 2 * ld);
        a3.intoArray(t, t0 + 3 * ld);
        a4.intoArray(t, t1);
        a5.intoArray(t, t1 + ld);
        a6.intoArray(t, t1 + 2 * ld);
        a7.intoArray(t, t1 + 3 * ld);
    }

    /** {@link #tile2x4} for two positions per row. */
    static void tile2x2(int depth, double[] w, int wO, int ld, double[] buf, int[] off, int b0, int b1, double[] t,
                        int t0, int t1) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S), a4 = DoubleVector.zero(S), a5 = DoubleVector.zero(S);
        for (int d = 0; d < depth; d++, wO += ld) {
            DoubleVector wv = DoubleVector.fromArray(S, w, wO);
            int o0 = off[d] + b0, o1 = off[d] + b1;
            a0 = DoubleVector.broadcast(S, buf[o0]).fma(wv, a0);
            a1 = DoubleVector.broadcast(S, buf[o0 + 1]).fma(wv, a1);
            a4 = DoubleVector.broadcast(S, buf[o1]).fma(wv, a4);
            a5 = DoubleVector.broadcast(S, buf[o1 + 1]).fma(wv, a5);
        }
        a0.intoArray(t, t0);
        a1.intoArray(t, t0 + ld);
        a4.intoArray(t, t1);
        a5.intoArray(t, t1 + ld);
    }

    /** {@link #tile2x4} for one position per row. */
    static void tile2x1(int depth, double[] w, int wO, int ld, double[] buf, int[] off, int b0, int b1, double[] t,
                        int t0, int t1) {
        DoubleVector a0 = DoubleVector.zero(S), a4 = DoubleVector.zero(S);
        for (int d = 0; d < depth; d++, wO += ld) {
            DoubleVector wv = DoubleVector.fromArray(S, w, wO);
            a0 = DoubleVector.broadcast(S, buf[off[d] + b0]).fma(wv, a0);
            a4 = DoubleVector.broadcast(S, buf[off[d] + b1]).fma(wv, a4);
        }
        a0.intoArray(t, t0);
        a4.intoArray(t, t1);
    }

    /**
     * acc[aO + dd·ld ..] (+)= Σ_{y, x} buf[off[d0 + dd] + y·bufW + x] · dyT[(y·ow + x)·ld + vo ..] for dd in
     * [0, DEPTHS): one block of depths and one block of LN channels of the weight gradient, over one image. With
     * {@code add} false the block starts from zero (the slot's first image).
     */
    static void weightBlock(int oh, int ow, int bufW, double[] dyT, int vo, int ld, double[] buf, int[] off, int d0,
                            double[] acc, int aO, boolean add) {
        DoubleVector s0, s1, s2, s3, s4, s5, s6, s7;
        if (add) {
            s0 = DoubleVector.fromArray(S, acc, aO);
            s1 = DoubleVector.fromArray(S, acc, aO + ld);
            s2 = DoubleVector.fromArray(S, acc, aO + 2 * ld);
            s3 = DoubleVector.fromArray(S, acc, aO + 3 * ld);
            s4 = DoubleVector.fromArray(S, acc, aO + 4 * ld);
            s5 = DoubleVector.fromArray(S, acc, aO + 5 * ld);
            s6 = DoubleVector.fromArray(S, acc, aO + 6 * ld);
            s7 = DoubleVector.fromArray(S, acc, aO + 7 * ld);
        } else {
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = DoubleVector.zero(S);
        }
        int o0 = off[d0], o1 = off[d0 + 1], o2 = off[d0 + 2], o3 = off[d0 + 3];
        int o4 = off[d0 + 4], o5 = off[d0 + 5], o6 = off[d0 + 6], o7 = off[d0 + 7];
        for (int y = 0; y < oh; y++) {
            for (int x = 0, b = y * bufW, t = y * ow * ld + vo; x < ow; x++, b++, t += ld) {
                DoubleVector g = DoubleVector.fromArray(S, dyT, t);
                s0 = DoubleVector.broadcast(S, buf[o0 + b]).fma(g, s0);
                s1 = DoubleVector.broadcast(S, buf[o1 + b]).fma(g, s1);
                s2 = DoubleVector.broadcast(S, buf[o2 + b]).fma(g, s2);
                s3 = DoubleVector.broadcast(S, buf[o3 + b]).fma(g, s3);
                s4 = DoubleVector.broadcast(S, buf[o4 + b]).fma(g, s4);
                s5 = DoubleVector.broadcast(S, buf[o5 + b]).fma(g, s5);
                s6 = DoubleVector.broadcast(S, buf[o6 + b]).fma(g, s6);
                s7 = DoubleVector.broadcast(S, buf[o7 + b]).fma(g, s7);
            }
        }
        s0.intoArray(acc, aO);
        s1.intoArray(acc, aO + ld);
        s2.intoArray(acc, aO + 2 * ld);
        s3.intoArray(acc, aO + 3 * ld);
        s4.intoArray(acc, aO + 4 * ld);
        s5.intoArray(acc, aO + 5 * ld);
        s6.intoArray(acc, aO + 6 * ld);
        s7.intoArray(acc, aO + 7 * ld);
    }
}
