package tinynn.ops;

import static tinynn.ops.GradCheck.Input.between;
import static tinynn.ops.GradCheck.Input.of;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;

/** Every loss and option through the shared gradient check (float64, finite differences on the reference forwards). */
class LossGradientProperties {

    /** Class ids drawn from the seed, as a constant [m] node: the logits are what is differentiated. */
    private static Node classIds(Node like, int m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        double[] ids = new double[m];
        for (int i = 0; i < m; i++) ids[i] = r.nextInt(n);
        return like.graph().constant(ids, DType.F64, Shape.of(m));
    }

    private static double[] weights(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x3e1);
        double[] w = new double[n];
        for (int c = 0; c < n; c++) w[c] = 0.2 + 2 * r.nextDouble();
        return w;
    }

    @Property(tries = 30)
    void softmaxCrossEntropyOptions(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 2, max = 6) int n,
                                    @ForAll @DoubleRange(min = 0, max = 0.9) double eps, @ForAll @DoubleRange(min = 0.2, max = 5) double t,
                                    @ForAll long seed) {
        double[] w = weights(n, seed);
        Loss weighted = Losses.softmaxCrossEntropy(w, 0, 1);
        Loss smoothed = Losses.softmaxCrossEntropy(null, eps, 1);
        Loss tempered = Losses.softmaxCrossEntropy(null, 0, t);
        Loss all = Losses.softmaxCrossEntropy(w, eps, t);
        GradCheck.check("ce weights (ids)", seed, x -> weighted.build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", -4, 4, m, n));
        GradCheck.check("ce label_smoothing (ids)", seed, x -> smoothed.build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", -4, 4, m, n));
        GradCheck.check("ce temperature (ids)", seed, x -> tempered.build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", -4, 4, m, n));
        GradCheck.check("ce all options (ids)", seed, x -> all.build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", -4, 4, m, n));
        GradCheck.check("ce plain (ids)", seed, x -> Losses.softmaxCrossEntropy().build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", -4, 4, m, n));
        // Soft targets: the target gradient is checked too (the loss is smooth in both).
        GradCheck.check("ce all options (soft targets)", seed, x -> all.build(x.get(0), Ops.softmax(x.get(1))), between("x", -4, 4, m, n), of("t", m, n));
    }

    @Property(tries = 20)
    void extremeLogitsStayFinite(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 2, max = 5) int n, @ForAll boolean negative, @ForAll long seed) {
        double lo = negative ? -1000 : 700, hi = negative ? -700 : 1000;
        Loss all = Losses.softmaxCrossEntropy(weights(n, seed), 0.1, 2);
        GradCheck.check("ce |logit| > 700", seed, x -> Losses.softmaxCrossEntropy().build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", lo, hi, m, n));
        GradCheck.check("ce options |logit| > 700", seed, x -> all.build(x.get(0), classIds(x.get(0), m, n, seed)), between("x", lo, hi, m, n));
        GradCheck.check("sigmoid_ce |logit| > 700", seed, x -> Losses.sigmoidCrossEntropy().build(x.get(0), x.get(1)), between("x", lo, hi, m, n), between("y", 0, 1, m, n));
        GradCheck.check("sigmoid_ce pos_weight |logit| > 700", seed, x -> Losses.sigmoidCrossEntropy(new double[] {3}).build(x.get(0), x.get(1)),
                between("x", lo, hi, m, n), between("y", 0, 1, m, n));
    }

    @Property(tries = 30)
    void otherLosses(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed) {
        double[] pw = weights(n, seed);
        GradCheck.check("sigmoid_ce pos_weight per class", seed, x -> Losses.sigmoidCrossEntropy(pw).build(x.get(0), x.get(1)), of("x", m, n), between("y", 0, 1, m, n));
        GradCheck.check("sigmoid_ce pos_weight scalar", seed, x -> Losses.sigmoidCrossEntropy(new double[] {2.5}).build(x.get(0), x.get(1)), of("x", m, n), between("y", 0, 1, m, n));
        GradCheck.check("nll", seed, x -> Losses.nll().build(Ops.logSoftmax(x.get(0)), x.get(1)), of("x", m, n), between("y", 0, 1, m, n));
        GradCheck.check("kl_div", seed, x -> Losses.klDiv().build(Ops.logSoftmax(x.get(0)), Ops.softmax(x.get(1))), of("x", m, n), of("p", m, n));
        GradCheck.check("huber delta 0.7", seed, x -> Losses.huber(0.7).build(x.get(0), x.get(1)), between("p", 1.0, 2.0, m, n), between("y", -1.0, 0.1, m, n));
        GradCheck.check("huber delta 3 (quadratic)", seed, x -> Losses.huber(3).build(x.get(0), x.get(1)), between("p", 1.0, 2.0, m, n), between("y", -1.0, 0.5, m, n));
    }

    @Property(tries = 20)
    void nllOnClassIds(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 2, max = 5) int n, @ForAll long seed) {
        GradCheck.check("nll (ids)", seed, x -> Losses.nll().build(Ops.logSoftmax(x.get(0)), classIds(x.get(0), m, n, seed)), of("x", m, n));
    }
}
