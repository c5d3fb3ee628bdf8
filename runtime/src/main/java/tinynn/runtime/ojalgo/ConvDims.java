package tinynn.runtime.ojalgo;

import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;

/**
 * The sizes the im2col kernels loop over, read once from the image x [n, c, h, w], the weight
 * [o, c/groups, kh, kw] and the output [n, o, oh, ow], with the geometry that relates them.
 */
record ConvDims(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, ConvGeometry g) {

    static ConvDims of(Shape x, Shape weight, Shape y, ConvGeometry g) {
        return new ConvDims(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2), weight.dim(3), y.dim(2), y.dim(3), g);
    }

    /** Input channels per group. */
    int cg() { return c / g.groups(); }

    /** Output channels per group. */
    int og() { return o / g.groups(); }

    /** Weight elements per output channel, the rows of an im2col matrix: cg·kh·kw. */
    int patch() { return cg() * kh * kw; }
}
