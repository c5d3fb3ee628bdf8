package tinynn.runtime.ojalgo;

import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.ConvDims;
import tinynn.runtime.Tensor;

/**
 * Convolution as matrix products, one image and one group at a time: the image's windows unrolled into the
 * columns of cols [cg·kh·kw, oh·ow] (im2col), so that the forward is y = W·cols, the input gradient scatters
 * Wᵀ·dy back over the windows (col2im) and the weight gradient sums dy·colsᵀ over the batch. The products go
 * to the backend's matmul (ojalgo's); the gathers and scatters are the plain loops below, linear in the data.
 */
final class Im2col {
    private Im2col() {}

    static void forward(Backend be, Tensor x, Tensor w, Tensor y, ConvDims d) {
        int k = d.patch(), p = d.oh() * d.ow(), og = d.og();
        Tensor cols = be.allocate(y.dtype(), Shape.of(k, p)), wg = be.allocate(y.dtype(), Shape.of(og, k)), yg = be.allocate(y.dtype(), Shape.of(og, p));
        for (int b = 0; b < d.n(); b++) {
            for (int grp = 0; grp < d.g().groups(); grp++) {
                gather(x, b, grp, cols, d);
                copy(w, grp * og * k, wg, 0, og * k);
                be.matmul(wg, false, cols, false, yg);
                copy(yg, 0, y, (b * d.o() + grp * og) * p, og * p);
            }
        }
    }

    static void gradInput(Backend be, Tensor dy, Tensor w, Tensor dx, ConvDims d) {
        int k = d.patch(), p = d.oh() * d.ow(), og = d.og();
        Tensor cols = be.allocate(dx.dtype(), Shape.of(k, p)), wg = be.allocate(dx.dtype(), Shape.of(og, k)), dyg = be.allocate(dx.dtype(), Shape.of(og, p));
        be.fill(dx, 0);
        for (int b = 0; b < d.n(); b++) {
            for (int grp = 0; grp < d.g().groups(); grp++) {
                copy(w, grp * og * k, wg, 0, og * k);
                copy(dy, (b * d.o() + grp * og) * p, dyg, 0, og * p);
                be.matmul(wg, true, dyg, false, cols);
                scatter(cols, dx, b, grp, d);
            }
        }
    }

    static void gradWeight(Backend be, Tensor x, Tensor dy, Tensor dw, ConvDims d) {
        int k = d.patch(), p = d.oh() * d.ow(), og = d.og();
        Tensor cols = be.allocate(dw.dtype(), Shape.of(k, p)), dyg = be.allocate(dw.dtype(), Shape.of(og, p)), part = be.allocate(dw.dtype(), Shape.of(og, k));
        // Summed in double: float32 batches of many images keep their precision.
        double[] acc = new double[dw.size()];
        for (int b = 0; b < d.n(); b++) {
            for (int grp = 0; grp < d.g().groups(); grp++) {
                gather(x, b, grp, cols, d);
                copy(dy, (b * d.o() + grp * og) * p, dyg, 0, og * p);
                be.matmul(dyg, false, cols, true, part);
                for (int i = 0, o = grp * og * k; i < og * k; i++) acc[o + i] += part.get(i);
            }
        }
        for (int i = 0; i < acc.length; i++) dw.set(i, acc[i]);
    }

    /** cols[(ci·kh + r)·kw + s][i·ow + j] = x[b, grp·cg + ci, i·sh − padTop + r·dh, j·sw − padLeft + s·dw], 0 in the padding. */
    private static void gather(Tensor x, int b, int grp, Tensor cols, ConvDims d) {
        walk(d, b, grp, (col, img) -> cols.set(col, img < 0 ? 0 : x.get(img)));
    }

    /** The adjoint of gather: dx[...] += cols[...] over every window position that reads it. */
    private static void scatter(Tensor cols, Tensor dx, int b, int grp, ConvDims d) {
        walk(d, b, grp, (col, img) -> { if (img >= 0) dx.set(img, dx.get(img) + cols.get(col)); });
    }

    private interface Visit { void at(int col, int img); }

    /** Every (cols index, image index or −1 in the padding) pair of one image's group. */
    private static void walk(ConvDims d, int b, int grp, Visit v) {
        var g = d.g();
        int p = d.oh() * d.ow(), cg = d.cg();
        for (int ci = 0; ci < cg; ci++) {
            int plane = (b * d.c() + grp * cg + ci) * d.h() * d.w();
            for (int r = 0; r < d.kh(); r++) {
                for (int s = 0; s < d.kw(); s++) {
                    int row = ((ci * d.kh() + r) * d.kw() + s) * p;
                    for (int i = 0; i < d.oh(); i++) {
                        int ih = i * g.strideH() - g.padTop() + r * g.dilationH();
                        for (int j = 0; j < d.ow(); j++) {
                            int iw = j * g.strideW() - g.padLeft() + s * g.dilationW();
                            boolean inside = ih >= 0 && ih < d.h() && iw >= 0 && iw < d.w();
                            v.at(row + i * d.ow() + j, inside ? plane + ih * d.w() + iw : -1);
                        }
                    }
                }
            }
        }
    }

    private static void copy(Tensor from, int fromOffset, Tensor to, int toOffset, int n) {
        if (from.isF32() && to.isF32()) System.arraycopy(from.f32(), fromOffset, to.f32(), toOffset, n);
        else if (!from.isF32() && !to.isF32()) System.arraycopy(from.f64(), fromOffset, to.f64(), toOffset, n);
        else for (int i = 0; i < n; i++) to.set(toOffset + i, from.get(fromOffset + i));
    }
}
