package tinynn.runtime;

import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;

/**
 * The sizes a convolution kernel loops over, read once from the image x [n, c, h, w], the weight
 * [o, c/groups, kh, kw] and the output [n, o, oh, ow], with the geometry that relates them. For kernels that
 * may allocate (the ojalgo im2col); ArrayBackend's loops read the same sizes into locals instead.
 */
public record ConvDims(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, ConvGeometry g) {

    public static ConvDims of(Shape x, Shape weight, Shape y, ConvGeometry g) {
        return new ConvDims(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2), weight.dim(3), y.dim(2), y.dim(3), g);
    }

    /** Input channels per group. */
    public int cg() { return c / g.groups(); }

    /** Output channels per group. */
    public int og() { return o / g.groups(); }

    /** Weight elements per output channel, the rows of an im2col matrix: cg·kh·kw. */
    public int patch() { return cg() * kh * kw; }

    /** First output column whose input column j·strideW + off (off = kernel column offset − left pad) is inside the image. */
    public int firstCol(int off) { return off >= 0 ? 0 : Math.min(ow, Math.ceilDiv(-off, g.strideW())); }

    /** One past the last output column whose input column is inside the image. */
    public int endCol(int off) { return Math.max(firstCol(off), Math.min(ow, Math.floorDiv(w - 1 - off, g.strideW()) + 1)); }
}
