package tinynn.ops;

import static tinynn.ops.GradCheck.Input.distinct;
import static tinynn.ops.GradCheck.Input.distinctBetween;
import static tinynn.ops.GradCheck.Input.of;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Pooling gradients against finite differences (float64) through GradCheck on random geometry: batch 1 and 2, strides above 1 and
 * different from the kernel (overlapping windows), padding on any side, non-square kernels and images, and
 * windows that leave rows and columns of the input uncovered. Max pooling's inputs are drawn distinct (no derivative at a
 * tie, and independent draws can nearly tie); PoolValuesTest checks ties themselves.
 */
class PoolGradientProperties {

    @Property(tries = 60)
    void pooling(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                 @ForAll @IntRange(min = 0, max = 4) int extraH, @ForAll @IntRange(min = 0, max = 4) int extraW,
                 @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
                 @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
                 @ForAll @IntRange(min = 0, max = 2) int pt, @ForAll @IntRange(min = 0, max = 2) int pl,
                 @ForAll @IntRange(min = 0, max = 2) int pb, @ForAll @IntRange(min = 0, max = 2) int pr,
                 @ForAll boolean countIncludePad, @ForAll long seed) {
        // Padding up to half the kernel (the ops' rule), the image at least one window large.
        PoolWindow win = new PoolWindow(kh, kw, sh, sw, Math.min(pt, kh / 2), Math.min(pl, kw / 2), Math.min(pb, kh / 2), Math.min(pr, kw / 2));
        int h = Math.max(1, kh - win.padTop() - win.padBottom()) + extraH, w = Math.max(1, kw - win.padLeft() - win.padRight()) + extraW;
        int oh = win.outH(h), ow = win.outW(w);
        String where = win + " on [" + n + ", " + c + ", " + h + ", " + w + "]";
        GradCheck.check("max_pool2d " + where, seed, x -> Ops.maxPool2d(x.get(0), win), distinct("x", n, c, h, w));
        // All negative: a zero-padded max would pass the gradient check (0 has no gradient) but not PoolValuesTest.
        GradCheck.check("max_pool2d (negative) " + where, seed, x -> Ops.maxPool2d(x.get(0), win), distinctBetween("x", -3.0, -0.5, n, c, h, w));
        GradCheck.check("avg_pool2d " + where, seed, x -> Ops.avgPool2d(x.get(0), win, countIncludePad), of("x", n, c, h, w));
        GradCheck.check("max_pool2d_grad " + where, seed, x -> Ops.maxPool2dGrad(x.get(0), x.get(1), win), distinct("x", n, c, h, w), of("g", n, c, oh, ow));
        GradCheck.check("max_pool2d_gather " + where, seed, x -> Ops.maxPool2dGather(x.get(0), x.get(1), win), distinct("x", n, c, h, w), of("v", n, c, h, w));
        GradCheck.check("avg_pool2d_grad " + where, seed, x -> Ops.avgPool2dGrad(x.get(0), win, countIncludePad, h, w), of("g", n, c, oh, ow));
        // Twice differentiated, through the gradient rules of the backward ops.
        GradCheck.check("max_pool2d twice " + where, seed, x -> Ops.maxPool2dGrad(x.get(0), Ops.square(Ops.maxPool2d(x.get(0), win)), win),
                distinct("x", n, c, h, w));
    }

    @Property(tries = 20)
    void globalAveragePool(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                           @ForAll @IntRange(min = 1, max = 5) int h, @ForAll @IntRange(min = 1, max = 5) int w, @ForAll long seed) {
        GradCheck.check("global_avg_pool2d", seed, x -> Ops.globalAvgPool2d(x.get(0)), of("x", n, c, h, w));
    }
}
