package tinynn.ops;

import static tinynn.ops.GradCheck.Input.between;
import static tinynn.ops.GradCheck.Input.of;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;

/** Every op's gradient rule against finite differences, on random shapes and values (float64). */
class OpGradientProperties {

    /** Every primitive and kind on a fixed shape, so none goes unchecked (see GradientContractTest). */
    @Property(tries = 5)
    void everyPrimitive(@ForAll long seed) {
        for (OpCases.Case c : OpCases.gradients()) GradCheck.check(c.name(), seed, c.f(), c.inputs());
    }

    @Property(tries = 40)
    void matmulAllLayouts(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 6) int k,
                          @ForAll @IntRange(min = 1, max = 6) int n, @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        GradCheck.check("matmul ta=" + ta + " tb=" + tb, seed, x -> Ops.matmul(x.get(0), x.get(1), ta, tb),
                ta ? of("a", k, m) : of("a", m, k), tb ? of("b", n, k) : of("b", k, n));
    }

    @Property(tries = 40)
    void broadcastingArithmetic(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int n,
                                @ForAll @IntRange(min = 0, max = 3) int form, @ForAll long seed) {
        // b as full, row vector, column vector, or scalar: the broadcast gradient must sum back down.
        int[] bShape = switch (form) { case 0 -> new int[] {m, n}; case 1 -> new int[] {n}; case 2 -> new int[] {m, 1}; default -> new int[] {}; };
        GradCheck.check("add", seed, x -> Ops.add(x.get(0), x.get(1)), of("a", m, n), of("b", bShape));
        GradCheck.check("sub", seed, x -> Ops.sub(x.get(0), x.get(1)), of("a", m, n), of("b", bShape));
        GradCheck.check("mul", seed, x -> Ops.mul(x.get(0), x.get(1)), of("a", m, n), of("b", bShape));
        GradCheck.check("div", seed, x -> Ops.div(x.get(0), x.get(1)), of("a", m, n), between("b", 0.5, 2.0, bShape));
        GradCheck.check("div (broadcast numerator)", seed, x -> Ops.div(x.get(1), x.get(0)), between("a", 0.5, 2.0, m, n), of("b", bShape));
    }

    @Property(tries = 30)
    void unaryFunctions(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        GradCheck.check("neg", seed, x -> Ops.neg(x.get(0)), of("x", m, n));
        GradCheck.check("exp", seed, x -> Ops.exp(x.get(0)), of("x", m, n));
        GradCheck.check("log", seed, x -> Ops.log(x.get(0)), between("x", 0.2, 3.0, m, n));
        GradCheck.check("sqrt", seed, x -> Ops.sqrt(x.get(0)), between("x", 0.2, 3.0, m, n));
        GradCheck.check("tanh", seed, x -> Ops.tanh(x.get(0)), of("x", m, n));
        GradCheck.check("sigmoid", seed, x -> Ops.sigmoid(x.get(0)), of("x", m, n));
        // Kinked functions are checked away from the kink, where the derivative exists.
        GradCheck.check("relu (+)", seed, x -> Ops.relu(x.get(0)), between("x", 0.1, 2.0, m, n));
        GradCheck.check("relu (-)", seed, x -> Ops.relu(x.get(0)), between("x", -2.0, -0.1, m, n));
        GradCheck.check("abs", seed, x -> Ops.abs(x.get(0)), between("x", 0.1, 2.0, m, n));
        GradCheck.check("leaky_relu", seed, x -> Ops.leakyRelu(x.get(0), 0.1), between("x", -2.0, -0.1, m, n));
        GradCheck.check("softplus", seed, x -> Ops.softplus(x.get(0)), between("x", 0.1, 3.0, m, n));
    }

    @Property(tries = 30)
    void reductionsAndShapes(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
                             @ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 0, max = 2) int axis,
                             @ForAll boolean keep, @ForAll long seed) {
        GradCheck.check("sum axis " + axis, seed, x -> Ops.sum(x.get(0), keep, axis), of("x", a, b, c));
        GradCheck.check("sum axes 0,2", seed, x -> Ops.sum(x.get(0), keep, 0, 2), of("x", a, b, c));
        GradCheck.check("sum all", seed, x -> Ops.sumAll(x.get(0)), of("x", a, b, c));
        GradCheck.check("mean axis " + axis, seed, x -> Ops.mean(x.get(0), keep, axis), of("x", a, b, c));
        GradCheck.check("max axis " + axis, seed, x -> Ops.max(x.get(0), axis, keep), of("x", a, b, c));
        GradCheck.check("broadcast_to", seed, x -> Ops.broadcastTo(x.get(0), Shape.of(a, b, c)), of("x", b, 1));
        GradCheck.check("sum_to", seed, x -> Ops.sumTo(x.get(0), Shape.of(1, c)), of("x", a, b, c));
        GradCheck.check("reshape", seed, x -> Ops.reshape(x.get(0), Shape.of(c, a * b)), of("x", a, b, c));
        GradCheck.check("transpose", seed, x -> Ops.transpose(x.get(0)), of("x", a, b));
    }

    @Property(tries = 30)
    void selectionAndSoftmax(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 2, max = 6) int n, @ForAll long seed) {
        GradCheck.check("where", seed, x -> Ops.where(Ops.step(x.get(0)), x.get(1), x.get(2)), of("c", m, n), of("a", m, n), of("b", m, n));
        GradCheck.check("softmax", seed, x -> Ops.softmax(x.get(0)), between("x", -4.0, 4.0, m, n));
        GradCheck.check("log_softmax", seed, x -> Ops.logSoftmax(x.get(0)), between("x", -4.0, 4.0, m, n));
        GradCheck.check("softmax_cross_entropy", seed, x -> Ops.softmaxCrossEntropy(x.get(0), Ops.softmax(x.get(1))),
                between("logits", -4.0, 4.0, m, n), of("t", m, n));
    }

    @Property(tries = 20)
    void losses(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed) {
        GradCheck.check("mse", seed, x -> Losses.mse().build(x.get(0), x.get(1)), of("p", m, n), of("y", m, n));
        GradCheck.check("sigmoid_cross_entropy", seed, x -> Losses.sigmoidCrossEntropy().build(x.get(0), x.get(1)), between("p", 0.1, 3.0, m, n), between("y", 0.0, 1.0, m, n));
        // p and y are drawn from disjoint ranges so |p − y| stays away from the kinks.
        GradCheck.check("mae", seed, x -> Losses.mae().build(x.get(0), x.get(1)), between("p", 1.0, 2.0, m, n), between("y", -1.0, 0.5, m, n));
        GradCheck.check("huber (quadratic)", seed, x -> Losses.huber(5).build(x.get(0), x.get(1)), between("p", 1.0, 2.0, m, n), between("y", -1.0, 0.5, m, n));
        GradCheck.check("huber (linear)", seed, x -> Losses.huber(0.2).build(x.get(0), x.get(1)), between("p", 1.0, 2.0, m, n), between("y", -1.0, 0.5, m, n));
    }

    @Property(tries = 20)
    void composedNetwork(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll long seed) {
        // A whole Dense→tanh→Dense→softmax-CE net, differentiated through every layer at once.
        GradCheck.check("mlp", seed, x -> {
            var h = Ops.tanh(Ops.add(Ops.matmul(x.get(0), x.get(1)), x.get(2)));
            return Ops.softmaxCrossEntropy(Ops.matmul(h, x.get(3)), Ops.softmax(x.get(4)));
        }, of("x", batch, 3), of("w1", 3, 4), of("b1", 1, 4), of("w2", 4, 3), of("t", batch, 3));
    }
}
