package tinynn.runtime;

import java.util.Arrays;

/**
 * ArrayBackend's convolution loops in float64: a direct loop nest whose innermost loop runs along an
 * output row (an axpy or a dot product over contiguous elements when the stride is 1), with the
 * padding handled by clipping each row's column range once instead of testing every element.
 * The float32 twin, ConvF32, is generated from this file by runtime/src/build/GenerateF32.java.
 */
final class ConvF64 {
    private ConvF64() {}

    /** y [n, o, oh, ow] = x [n, c, h, w] cross-correlated with w [o, c/groups, kh, kw]. */
    static void forward(double[] x, double[] wt, double[] y, ConvDims d) {
        Arrays.fill(y, 0);
        var g = d.g();
        int cg = d.cg(), og = d.og(), plane = d.h() * d.w(), out = d.oh() * d.ow(), sw = g.strideW();
        for (int b = 0; b < d.n(); b++) {
            for (int oc = 0; oc < d.o(); oc++) {
                int yOff = (b * d.o() + oc) * out, first = oc / og * cg;
                for (int ci = 0; ci < cg; ci++) {
                    int xOff = (b * d.c() + first + ci) * plane;
                    for (int p = 0; p < d.kh(); p++) {
                        for (int q = 0; q < d.kw(); q++) {
                            double v = wt[((oc * cg + ci) * d.kh() + p) * d.kw() + q];
                            int off = q * g.dilationW() - g.padLeft(), j0 = d.firstCol(off), j1 = d.endCol(off);
                            for (int i = 0; i < d.oh(); i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= d.h()) continue;
                                int yr = yOff + i * d.ow(), xr = xOff + ih * d.w() + off;
                                if (sw == 1) for (int j = j0; j < j1; j++) y[yr + j] += v * x[xr + j];
                                else for (int j = j0; j < j1; j++) y[yr + j] += v * x[xr + j * sw];
                            }
                        }
                    }
                }
            }
        }
    }

    /** dx [n, c, h, w] = the transposed convolution of dy [n, o, oh, ow] with w: each dy scatters its window back. */
    static void gradInput(double[] dy, double[] wt, double[] dx, ConvDims d) {
        Arrays.fill(dx, 0);
        var g = d.g();
        int cg = d.cg(), og = d.og(), plane = d.h() * d.w(), out = d.oh() * d.ow(), sw = g.strideW();
        for (int b = 0; b < d.n(); b++) {
            for (int oc = 0; oc < d.o(); oc++) {
                int yOff = (b * d.o() + oc) * out, first = oc / og * cg;
                for (int ci = 0; ci < cg; ci++) {
                    int xOff = (b * d.c() + first + ci) * plane;
                    for (int p = 0; p < d.kh(); p++) {
                        for (int q = 0; q < d.kw(); q++) {
                            double v = wt[((oc * cg + ci) * d.kh() + p) * d.kw() + q];
                            int off = q * g.dilationW() - g.padLeft(), j0 = d.firstCol(off), j1 = d.endCol(off);
                            for (int i = 0; i < d.oh(); i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= d.h()) continue;
                                int yr = yOff + i * d.ow(), xr = xOff + ih * d.w() + off;
                                if (sw == 1) for (int j = j0; j < j1; j++) dx[xr + j] += v * dy[yr + j];
                                else for (int j = j0; j < j1; j++) dx[xr + j * sw] += v * dy[yr + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** dw [o, c/groups, kh, kw] = Σ over images and output positions of dy times the input it saw. */
    static void gradWeight(double[] x, double[] dy, double[] dw, ConvDims d) {
        var g = d.g();
        int cg = d.cg(), og = d.og(), plane = d.h() * d.w(), out = d.oh() * d.ow(), sw = g.strideW();
        for (int oc = 0; oc < d.o(); oc++) {
            int first = oc / og * cg;
            for (int ci = 0; ci < cg; ci++) {
                for (int p = 0; p < d.kh(); p++) {
                    for (int q = 0; q < d.kw(); q++) {
                        int off = q * g.dilationW() - g.padLeft(), j0 = d.firstCol(off), j1 = d.endCol(off);
                        // Summed over the whole batch, so float32 accumulates in double.
                        /*wide*/double s = 0;
                        for (int b = 0; b < d.n(); b++) {
                            int yOff = (b * d.o() + oc) * out, xOff = (b * d.c() + first + ci) * plane;
                            for (int i = 0; i < d.oh(); i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= d.h()) continue;
                                int yr = yOff + i * d.ow(), xr = xOff + ih * d.w() + off;
                                if (sw == 1) for (int j = j0; j < j1; j++) s += x[xr + j] * dy[yr + j];
                                else for (int j = j0; j < j1; j++) s += x[xr + j * sw] * dy[yr + j];
                            }
                        }
                        dw[((oc * cg + ci) * d.kh() + p) * d.kw() + q] = (double) s;
                    }
                }
            }
        }
    }
}
