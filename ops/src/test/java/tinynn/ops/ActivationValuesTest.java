package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Activation;

/**
 * Every activation against values computed independently (mpmath, 30 digits, from the textbook definitions)
 * at x = −3, −1, −0.25, 0.5, 1, 2.5, and the derivatives the article's project got wrong.
 */
class ActivationValuesTest {

    private static final double[] X = {-3, -1, -0.25, 0.5, 1, 2.5};

    /** Activation (type plus attributes) → expected values at {@link #X}. */
    private static final Map<Activation, double[]> EXPECTED = new LinkedHashMap<>();

    private static void expect(String type, Map<String, Object> attrs, double... values) { EXPECTED.put(new Activation(type, attrs), values); }

    static {
        expect("relu", Map.of(), 0, 0, 0, 0.5, 1, 2.5);
        expect("leaky_relu", Map.of(), -0.03, -0.01, -0.0025, 0.5, 1, 2.5);
        expect("leaky_relu", Map.of("alpha", 0.2), -0.6, -0.2, -0.05, 0.5, 1, 2.5);
        expect("elu", Map.of(), -0.95021293163213606, -0.63212055882855768, -0.22119921692859513, 0.5, 1, 2.5);
        expect("elu", Map.of("alpha", 0.5), -0.47510646581606803, -0.31606027941427884, -0.11059960846429757, 0.5, 1, 2.5);
        expect("selu", Map.of(), -1.670568728767112, -1.1113307378125628, -0.38889019747811903, 0.52535049367774025,
                1.0507009873554805, 2.6267524683887012);
        expect("gelu", Map.of(), -0.0040496940948902836, -0.15865525393145705, -0.10032341857926907, 0.34573123063700655,
                0.84134474606854295, 2.4844758366855597);
        expect("gelu", Map.of("approximate", "tanh"), -0.0036373920817730188, -0.1588080093917233, -0.100324649298315,
                0.34571400982514392, 0.8411919906082767, 2.4849157339100014);
        expect("silu", Map.of(), -0.14227761953270034, -0.26894142136999512, -0.10945587477855047, 0.31122966560092728,
                0.73105857863000488, 2.3103545499468911);
        expect("mish", Map.of(), -0.14564746127562459, -0.30340146137410892, -0.12992696367914101, 0.3752452113048951,
                0.86509838826731035, 2.4713923045578811);
        expect("softplus", Map.of(), 0.048587351573742059, 0.31326168751822283, 0.57593941987884356, 0.97407698418010668,
                1.3132616875182228, 2.5788897342925496);
        expect("softplus", Map.of("beta", 2.0), 0.0012378425688652248, 0.063464005521486248, 0.23703849209005334,
                0.65663084375911142, 1.0634640055214862, 2.503357674244559);
        expect("sigmoid", Map.of(), 0.047425873177566781, 0.26894142136999512, 0.4378234991142019, 0.62245933120185456,
                0.73105857863000488, 0.92414181997875645);
        expect("hard_sigmoid", Map.of(), 0, 1 / 3.0, 0.45833333333333333, 0.58333333333333333, 2 / 3.0, 0.91666666666666667);
        expect("tanh", Map.of(), -0.99505475368673045, -0.76159415595576489, -0.24491866240370913, 0.46211715726000976,
                0.76159415595576489, 0.98661429815143029);
    }

    private static double[] eval(Node out, Node x, double[] xs) { return ReferenceEval.value(out, Map.of(x, xs), ReferenceEval.REFERENCE); }

    @Test
    void everyElementwiseActivationAtSixPoints() {
        for (Map.Entry<Activation, double[]> e : EXPECTED.entrySet()) {
            Graph g = new Graph();
            Node x = g.placeholder("x", DType.F64, 1, X.length);
            double[] got = eval(e.getKey().build(x, "act"), x, X);
            for (int i = 0; i < X.length; i++) {
                assertEquals(e.getValue()[i], got[i], 4e-16 * Math.max(1, Math.abs(e.getValue()[i])), e.getKey() + " at x = " + X[i]);
            }
        }
    }

    @Test
    void everyRegisteredActivationHasReferenceValues() {
        var covered = new java.util.HashSet<String>();
        EXPECTED.keySet().forEach(a -> covered.add(a.type()));
        covered.addAll(List.of("prelu", "softmax", "log_softmax")); // checked by the tests below
        assertEquals(new java.util.TreeSet<>(Activation.names()), new java.util.TreeSet<>(covered), "an activation without reference values");
    }

    @Test
    void theQuotedConstants() {
        assertEquals(1.6732632423543772, Ops.SELU_ALPHA, 0);
        assertEquals(1.0507009873554805, Ops.SELU_SCALE, 0);
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, 1);
        assertEquals(0.8413447461, eval(Ops.gelu(x), x, new double[] {1})[0], 1e-10);
        assertEquals(0.8411919906, eval(Ops.geluTanh(x), x, new double[] {1})[0], 1e-10);
        assertEquals(0.8650983882673103, eval(Ops.mish(x), x, new double[] {1})[0], 2e-16);
        // The article's GELU used 0.1702 for sigmoid(1.702x)'s constant; neither of ours is anywhere near that curve.
        assertTrue(Math.abs(eval(Ops.gelu(x), x, new double[] {1})[0] - 1 / (1 + Math.exp(-0.1702))) > 0.2);
    }

    @Test
    void softmaxAndLogSoftmaxRows() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, 3);
        double[] in = {1, 2, -1};
        double[] p = eval(Activation.of("softmax").build(x, "s"), x, in);
        double[] lp = eval(Activation.of("log_softmax").build(x, "l"), x, in);
        double[] wantP = {0.25949646034241912, 0.70538451269824116, 0.035119026959339724};
        double[] wantLp = {-1.3490122167681864, -0.34901221676818639, -3.3490122167681864};
        for (int i = 0; i < 3; i++) {
            assertEquals(wantP[i], p[i], 1e-16, "softmax " + i);
            assertEquals(wantLp[i], lp[i], 1e-15, "log_softmax " + i);
        }
    }

    @Test
    void preluUsesItsSlopePerChannel() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2, 3);
        Node slope = g.placeholder("slope", DType.F64, 1, 3);
        double[] got = ReferenceEval.value(Ops.prelu(x, slope), Map.of(x, new double[] {-2, 3, -1, 0.5, -4, -0.5},
                slope, new double[] {0.25, 0.1, -0.5}), ReferenceEval.REFERENCE);
        assertEquals(List.of(-0.5, 3.0, 0.5, 0.5, -0.4, 0.25), java.util.Arrays.stream(got).boxed().toList());
        // The layer: one slope per feature, named after the layer, initialised to init (PyTorch's 0.25 by default).
        Graph h = new Graph();
        Node in = h.placeholder("x", DType.F64, 4, 5);
        new Activation("prelu", Map.of("init", 0.1)).build(in, "prelu3");
        Node p = h.parameters().getFirst();
        assertEquals("prelu3.slope", p.name());
        assertEquals(Shape.of(1, 5), p.shape());
        assertEquals("constant(0.1)", ((tinynn.graph.Leaf.Parameter) p.op()).init().describe());
    }

    /** d/dx of Σ f(x), by autodiff on the reference forwards. */
    private static double[] derivative(java.util.function.Function<Node, Node> f, double... xs) {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, xs.length);
        Node grad = Autodiff.gradients(Ops.sumAll(f.apply(x)), List.of(x)).get(x);
        return eval(grad, x, xs);
    }

    @Test
    void derivativesTheArticleGotWrong() {
        // ELU: α·eˣ for x < 0 (the article's is a step function), 1 for x > 0, α at 0; no NaN for huge x.
        double[] d = derivative(x -> Ops.elu(x, 0.5), -2, -0.5, 0, 3, 1000);
        assertEquals(0.5 * 0.13533528323661269, d[0], 1e-16);
        assertEquals(0.5 * 0.60653065971263342, d[1], 1e-16);
        assertEquals(0.5, d[2], 0);
        assertEquals(1, d[3], 0);
        assertEquals(1, d[4], 0);
        // GELU: Φ(x) + x·φ(x); mish at −1 (mpmath).
        assertEquals(1.0833154705876863, derivative(Ops::gelu, 1)[0], 1e-15);
        assertEquals(0.059216755877394948, derivative(Ops::mish, -1)[0], 1e-15);
        // hard_sigmoid: 1/6 inside (−3, 3), 0 outside.
        double[] h = derivative(Ops::hardSigmoid, -4, -1, 2, 4);
        assertEquals(List.of(0.0, 1 / 6.0, 1 / 6.0, 0.0), java.util.Arrays.stream(h).boxed().toList());
    }

    @Test
    void attributesAreCheckedAndDefaulted() {
        assertEquals(Map.of("alpha", 0.01), Activation.of("leaky_relu").attrs());
        assertEquals(Map.of("alpha", 0.3), new Activation("leaky_relu", Map.of("slope", 0.3)).attrs(), "the old name 'slope'");
        assertEquals(Map.of("approximate", "none"), Activation.of("gelu").attrs());
        assertEquals(Map.of("beta", 2.0), new Activation("softplus", Map.of("beta", 2L)).attrs(), "integers are numbers");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Activation("gelu", Map.of("approximate", "erf")))
                .getMessage().contains("\"none\" or \"tanh\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Activation("elu", Map.of("aplha", 1.0)))
                .getMessage().contains("elu has no attribute 'aplha'; it takes alpha"));
        assertThrows(IllegalArgumentException.class, () -> new Activation("softplus", Map.of("beta", 0.0)));
        assertThrows(IllegalArgumentException.class, () -> new Activation("elu", Map.of("alpha", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Activation.of("swishy"));
    }
}
