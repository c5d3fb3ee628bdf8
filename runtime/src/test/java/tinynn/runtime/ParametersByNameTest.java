package tinynn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;
import tinynn.ops.init.Initializers;

/** A parameter's starting values depend on the seed and its name only, for every initializer. */
class ParametersByNameTest {

    private static double[] values(long seed, String first, String second, Initializer init) {
        Graph g = new Graph();
        var a = g.parameter(first, DType.F64, Shape.of(6, 4), init);
        var b = g.parameter(second, DType.F64, Shape.of(6, 4), init);
        Parameters p = new Parameters(seed);
        p.of(a);
        p.of(b);
        Tensor t = p.get("layer.w");
        double[] v = new double[(int) t.size()];
        for (int i = 0; i < v.length; i++) v[i] = t.get(i);
        return v;
    }

    @Test void sameSeedAndNameGiveTheSameValuesWhateverTheOrder() {
        for (String n : new String[] {"orthogonal", "truncated_normal(0,0.02)", "lecun_normal", "he_normal(gain=2,mode=fan_out)", "xavier_uniform"}) {
            Initializer init = Initializers.byName(n);
            double[] v = values(5, "layer.w", "other.w", init);
            assertArrayEquals(v, values(5, "other.w", "layer.w", init), n);
            assertTrue(!java.util.Arrays.equals(v, values(6, "layer.w", "other.w", init)), n);
        }
        assertEquals(24, values(5, "layer.w", "other.w", Initializers.ones()).length);
    }
}
