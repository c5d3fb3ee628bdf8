package tinynn.ops;

import tinynn.graph.GraphException;
import tinynn.graph.Shape;

/**
 * Where a pooling window goes over an NCHW image: kernel, stride and padding per side, in PyTorch's floor mode
 * (windows that would run past the padded input are dropped, and with them the rows and columns only they
 * covered). Shared by the pooling ops and their gradients, so their shape rules agree.
 *
 * <p>Padding may be at most half the kernel, PyTorch's rule: then every window holds at least one input element,
 * so a max-pool window never yields its −∞ padding and an average never divides padding alone.
 */
public record PoolWindow(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight) {

    public PoolWindow {
        if (kernelH < 1 || kernelW < 1) throw new GraphException("pooling kernel must be at least 1, got [" + kernelH + ", " + kernelW + "]");
        if (strideH < 1 || strideW < 1) throw new GraphException("pooling stride must be at least 1, got [" + strideH + ", " + strideW + "]");
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new GraphException("pooling padding must not be negative, got " + pads(padTop, padLeft, padBottom, padRight));
        }
        if (2 * Math.max(padTop, padBottom) > kernelH || 2 * Math.max(padLeft, padRight) > kernelW) {
            throw new GraphException("pooling padding " + pads(padTop, padLeft, padBottom, padRight) + " is more than half the kernel [" + kernelH + ", " + kernelW
                    + "]; use at most [" + kernelH / 2 + ", " + kernelW / 2 + "] per side or a larger kernel");
        }
    }

    /** A kernel×kernel window moving by its own size without padding: the usual 2×2 pooling when kernel is 2. */
    public static PoolWindow of(int kernel) { return new PoolWindow(kernel, kernel, kernel, kernel, 0, 0, 0, 0); }

    /** Output height for an input of height h: floor((h + pads − kernel) / stride) + 1, not positive when no window fits. */
    public int outH(int h) { return Math.floorDiv(h + padTop + padBottom - kernelH, strideH) + 1; }

    public int outW(int w) { return Math.floorDiv(w + padLeft + padRight - kernelW, strideW) + 1; }

    /** True for the common case the fast kernels specialise: 2×2 windows, stride 2, no padding. */
    public boolean isTwoByTwo() {
        return kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    /** The pooled shape [N, C, OH, OW] of x [N, C, H, W]; the error says what to change (the graph adds layer and op). */
    public Shape output(Shape x) {
        if (x.rank() != 4) throw new GraphException("needs NCHW input [batch, channels, height, width], got " + x);
        int oh = outH(x.dim(2)), ow = outW(x.dim(3));
        if (oh < 1 || ow < 1) {
            throw new GraphException("the " + kernelH + "×" + kernelW + " window does not fit the input " + x + " padded by " + pads(padTop, padLeft, padBottom, padRight)
                    + "; use a kernel of at most [" + (x.dim(2) + padTop + padBottom) + ", " + (x.dim(3) + padLeft + padRight)
                    + "] or more padding");
        }
        return Shape.of(x.dim(0), x.dim(1), oh, ow);
    }

    public int[] kernel() { return new int[] {kernelH, kernelW}; }

    public int[] strides() { return new int[] {strideH, strideW}; }

    /** [top, left, bottom, right]. */
    public int[] padding() { return new int[] {padTop, padLeft, padBottom, padRight}; }

    private static String pads(int top, int left, int bottom, int right) { return "[" + top + ", " + left + ", " + bottom + ", " + right + "]"; }
}
