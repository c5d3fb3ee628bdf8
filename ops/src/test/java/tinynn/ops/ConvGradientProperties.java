package tinynn.ops;

import static tinynn.ops.GradCheck.Input.of;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The three convolution primitives' gradient rules against finite differences (float64), for inputs and
 * weights: batch 1 and 2, strides 1–3, every padding mode, dilation, one group, two groups and depthwise,
 * non-square kernels and images. Each rule emits the other two primitives, so every pairing is exercised.
 */
class ConvGradientProperties {

    private static ConvCase draw(int n, int cg, int og, int groups, int kh, int kw, int sh, int sw, int dh, int dw, int pad, int padSeed, int eh, int ew) {
        return ConvCase.of(n, cg, og, groups, kh, kw, sh, sw, dh, dw, pad, padSeed, eh, ew);
    }

    @Property(tries = 60)
    void conv2dInputAndWeight(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int cg,
                              @ForAll @IntRange(min = 1, max = 2) int og, @ForAll @IntRange(min = 0, max = 2) int groups,
                              @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
                              @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 2) int sw,
                              @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw,
                              @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 80) int padSeed,
                              @ForAll @IntRange(min = 0, max = 3) int eh, @ForAll @IntRange(min = 0, max = 3) int ew, @ForAll long seed) {
        ConvCase k = draw(n, cg, og, groups, kh, kw, sh, sw, dh, dw, pad, padSeed, eh, ew);
        GradCheck.check("conv2d " + k, seed, x -> Ops.conv2d(x.get(0), x.get(1), k.g()), of("x", k.x()), of("w", k.weight()));
    }

    @Property(tries = 60)
    void convTranspose2dInputAndWeight(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int cg,
                                       @ForAll @IntRange(min = 1, max = 2) int og, @ForAll @IntRange(min = 0, max = 2) int groups,
                                       @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
                                       @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 2) int sw,
                                       @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw,
                                       @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 80) int padSeed,
                                       @ForAll @IntRange(min = 0, max = 3) int eh, @ForAll @IntRange(min = 0, max = 3) int ew, @ForAll long seed) {
        ConvCase k = draw(n, cg, og, groups, kh, kw, sh, sw, dh, dw, pad, padSeed, eh, ew);
        GradCheck.check("conv_transpose2d " + k, seed, x -> Ops.convTranspose2d(x.get(0), x.get(1), k.g(), k.h(), k.w()),
                of("dy", k.y()), of("w", k.weight()));
    }

    @Property(tries = 60)
    void conv2dGradWeightBothInputs(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int cg,
                                    @ForAll @IntRange(min = 1, max = 2) int og, @ForAll @IntRange(min = 0, max = 2) int groups,
                                    @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
                                    @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 2) int sw,
                                    @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw,
                                    @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 80) int padSeed,
                                    @ForAll @IntRange(min = 0, max = 3) int eh, @ForAll @IntRange(min = 0, max = 3) int ew, @ForAll long seed) {
        ConvCase k = draw(n, cg, og, groups, kh, kw, sh, sw, dh, dw, pad, padSeed, eh, ew);
        GradCheck.check("conv2d_grad_weight " + k, seed, x -> Ops.conv2dGradWeight(x.get(0), x.get(1), k.g(), k.kh(), k.kw()),
                of("x", k.x()), of("dy", k.y()));
    }

    /**
     * The configurations the issue names, each for sure (the properties above draw them at random):
     * n, cg, og, groupMode, kh, kw, sh, sw, dh, dw, padMode, padSeed, extraH, extraW.
     */
    @Example
    void namedConfigurations() {
        int[][] cases = {
                {1, 2, 2, 0, 3, 3, 1, 1, 1, 1, 0, 0, 2, 3},   // batch 1, valid, non-square image
                {2, 1, 2, 0, 3, 2, 2, 2, 1, 1, 1, 0, 3, 2},   // same, stride 2, non-square kernel
                {2, 2, 1, 0, 2, 3, 3, 1, 1, 1, 1, 0, 4, 1},   // same, stride 3 × 1
                {1, 1, 2, 0, 3, 2, 1, 2, 2, 1, 2, 5 + 9 * 2, 1, 2}, // explicit asymmetric [2, 1, 2, 0], dilation 2 × 1
                {2, 2, 1, 1, 2, 2, 1, 1, 1, 2, 2, 1 + 27 * 2, 2, 2}, // two groups, explicit [1, 0, 0, 2], dilation 1 × 2
                {1, 2, 2, 2, 3, 3, 2, 1, 1, 1, 1, 0, 2, 1},   // depthwise, two filters per channel, same, stride 2 × 1
        };
        for (int[] c : cases) {
            ConvCase k = draw(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13]);
            GradCheck.check("conv2d " + k, 1, x -> Ops.conv2d(x.get(0), x.get(1), k.g()), of("x", k.x()), of("w", k.weight()));
            GradCheck.check("conv_transpose2d " + k, 2, x -> Ops.convTranspose2d(x.get(0), x.get(1), k.g(), k.h(), k.w()), of("dy", k.y()), of("w", k.weight()));
            GradCheck.check("conv2d_grad_weight " + k, 3, x -> Ops.conv2dGradWeight(x.get(0), x.get(1), k.g(), k.kh(), k.kw()), of("x", k.x()), of("dy", k.y()));
        }
    }

    /** The layer's bias: a [1, O, 1, 1] broadcast add whose gradient sums back over batch and positions. */
    @Property(tries = 20)
    void conv2dWithChannelBias(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int o,
                               @ForAll @IntRange(min = 2, max = 5) int h, @ForAll @IntRange(min = 2, max = 5) int w, @ForAll long seed) {
        ConvGeometry g = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1);
        GradCheck.check("conv2d + bias", seed, x -> Ops.add(Ops.conv2d(x.get(0), x.get(1), g), x.get(2)),
                of("x", n, 2, h, w), of("w", o, 2, 3, 2), of("b", 1, o, 1, 1));
    }

    /** Gradients of gradients: the second derivative of a conv through a smooth function (the rules emit primitives). */
    @Property(tries = 10)
    void secondOrder(@ForAll long seed) {
        ConvGeometry g = new ConvGeometry(2, 1, 1, 0, 1, 2, 1, 2, 1);
        GradCheck.check("d/dx of Σ tanh(conv2d)", seed, x -> {
            var y = Ops.tanh(Ops.conv2d(x.get(0), x.get(1), g));
            return tinynn.graph.Autodiff.gradients(Ops.sumAll(y), java.util.List.of(x.get(0))).get(x.get(0));
        }, of("x", 1, 2, 5, 4), of("w", 3, 2, 2, 3));
    }
}
