package tinynn.runtime;

import java.util.Arrays;
import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;

/**
 * ArrayBackend's convolution loops in float64: a direct loop nest whose innermost loop runs along an
 * output row (an axpy or a dot product over contiguous elements when the stride is 1), with the
 * padding handled by clipping each row's column range once instead of testing every element.
 * The float32 twin, ConvF32, is generated from this file by runtime/src/build/GenerateF32.java.
 * Sizes come from the shapes as locals, not a sizes object, so that a call allocates nothing.
 */
final class ConvF64 {
    private ConvF64() {}

    /** y [n, o, oh, ow] = x [n, c, h, w] cross-correlated with w [o, c/groups, kh, kw]. */
    static void forward(double[] x, double[] wt, double[] y, Shape xs, Shape ws, Shape ys, ConvGeometry g) {
        Arrays.fill(y, 0);
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), w = xs.dim(3), o = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        int cg = c / g.groups(), og = o / g.groups(), plane = h * w, out = oh * ow, sw = g.strideW();
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int yOff = (b * o + oc) * out, first = oc / og * cg;
                for (int ci = 0; ci < cg; ci++) {
                    int xOff = (b * c + first + ci) * plane;
                    for (int p = 0; p < kh; p++) {
                        for (int q = 0; q < kw; q++) {
                            double v = wt[((oc * cg + ci) * kh + p) * kw + q];
                            int off = q * g.dilationW() - g.padLeft(), j0 = firstCol(off, sw, ow), j1 = endCol(off, sw, w, ow);
                            for (int i = 0; i < oh; i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= h) continue;
                                int yr = yOff + i * ow, xr = xOff + ih * w + off;
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
    static void gradInput(double[] dy, double[] wt, double[] dx, Shape xs, Shape ws, Shape ys, ConvGeometry g) {
        Arrays.fill(dx, 0);
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), w = xs.dim(3), o = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        int cg = c / g.groups(), og = o / g.groups(), plane = h * w, out = oh * ow, sw = g.strideW();
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int yOff = (b * o + oc) * out, first = oc / og * cg;
                for (int ci = 0; ci < cg; ci++) {
                    int xOff = (b * c + first + ci) * plane;
                    for (int p = 0; p < kh; p++) {
                        for (int q = 0; q < kw; q++) {
                            double v = wt[((oc * cg + ci) * kh + p) * kw + q];
                            int off = q * g.dilationW() - g.padLeft(), j0 = firstCol(off, sw, ow), j1 = endCol(off, sw, w, ow);
                            for (int i = 0; i < oh; i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= h) continue;
                                int yr = yOff + i * ow, xr = xOff + ih * w + off;
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
    static void gradWeight(double[] x, double[] dy, double[] dw, Shape xs, Shape ws, Shape ys, ConvGeometry g) {
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), w = xs.dim(3), o = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        int cg = c / g.groups(), og = o / g.groups(), plane = h * w, out = oh * ow, sw = g.strideW();
        for (int oc = 0; oc < o; oc++) {
            int first = oc / og * cg;
            for (int ci = 0; ci < cg; ci++) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        int off = q * g.dilationW() - g.padLeft(), j0 = firstCol(off, sw, ow), j1 = endCol(off, sw, w, ow);
                        // Summed over the whole batch, so float32 accumulates in double.
                        /*wide*/double s = 0;
                        for (int b = 0; b < n; b++) {
                            int yOff = (b * o + oc) * out, xOff = (b * c + first + ci) * plane;
                            for (int i = 0; i < oh; i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= h) continue;
                                int yr = yOff + i * ow, xr = xOff + ih * w + off;
                                if (sw == 1) for (int j = j0; j < j1; j++) s += x[xr + j] * dy[yr + j];
                                else for (int j = j0; j < j1; j++) s += x[xr + j * sw] * dy[yr + j];
                            }
                        }
                        dw[((oc * cg + ci) * kh + p) * kw + q] = (double) s;
                    }
                }
            }
        }
    }

    /** First output column whose input column j·stride + off (off = kernel column offset − left pad) is inside the image. */
    static int firstCol(int off, int stride, int ow) { return off >= 0 ? 0 : Math.min(ow, Math.ceilDiv(-off, stride)); }

    /** One past the last output column whose input column is inside an image of width w. */
    static int endCol(int off, int stride, int w, int ow) { return Math.max(firstCol(off, stride, ow), Math.min(ow, Math.floorDiv(w - 1 - off, stride) + 1)); }
}
