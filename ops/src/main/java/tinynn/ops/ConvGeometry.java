package tinynn.ops;

import tinynn.graph.GraphException;

/**
 * Where a 2-D window goes over an NCHW image: stride, zero padding per side, dilation and channel
 * groups. Shared by conv2d, its two gradients and conv_transpose2d, so their shape rules agree.
 */
public record ConvGeometry(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                           int dilationH, int dilationW, int groups) {

    public ConvGeometry {
        if (strideH < 1 || strideW < 1) throw new GraphException("stride must be at least 1, got [" + strideH + ", " + strideW + "]");
        if (dilationH < 1 || dilationW < 1) throw new GraphException("dilation must be at least 1, got [" + dilationH + ", " + dilationW + "]");
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new GraphException("padding must not be negative, got [" + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight + "]");
        }
        if (groups < 1) throw new GraphException("groups must be at least 1, got " + groups);
    }

    /** Stride 1, no padding, no dilation, one group. */
    public static ConvGeometry unit() { return new ConvGeometry(1, 1, 0, 0, 0, 0, 1, 1, 1); }

    /** Output height for an input of height h and a kernel of height kh; not positive when the window does not fit. */
    public int outH(int h, int kh) { return Math.floorDiv(h + padTop + padBottom - dilationH * (kh - 1) - 1, strideH) + 1; }

    public int outW(int w, int kw) { return Math.floorDiv(w + padLeft + padRight - dilationW * (kw - 1) - 1, strideW) + 1; }
}
