package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;

class SamplerTest {

    private static Tensor logits(double... p) {
        Tensor t = Tensor.zeros(DType.F32, Shape.of(1, 1, p.length + 2));
        t.set(0, 99); // a neighbouring position's logits: only [offset, offset + v) count
        for (int i = 0; i < p.length; i++) t.set(1 + i, Math.log(p[i]) + 3);
        t.set(p.length + 1, 99);
        return t;
    }

    @Test void temperatureZeroTakesTheMostLikelyCharacter() {
        Sampler s = new Sampler(0, 1);
        assertEquals(2, s.next(logits(0.2, 0.3, 0.5), 1, 3));
        assertEquals(0, s.next(logits(0.4, 0.4, 0.2), 1, 3), "the first of equals");
    }

    @Test void drawsFollowSoftmaxOfLogitsOverTemperature() {
        double[] p = {0.5, 0.3, 0.2};
        for (double temperature : new double[] {1, 0.5, 2}) {
            Sampler s = new Sampler(temperature, 7);
            int[] counts = new int[3];
            int n = 40_000;
            for (int i = 0; i < n; i++) counts[s.next(logits(p), 1, 3)]++;
            double z = 0;
            for (double q : p) z += Math.pow(q, 1 / temperature);
            for (int c = 0; c < 3; c++) {
                double expected = Math.pow(p[c], 1 / temperature) / z;
                // 4 standard deviations of a binomial proportion at n = 40,000 is below 0.01
                assertEquals(expected, counts[c] / (double) n, 0.01, "temperature " + temperature + ", class " + c);
            }
        }
    }

    @Test void theSameSeedDrawsTheSameSequence() {
        int[] a = new int[50], b = new int[50], c = new int[50];
        Sampler x = new Sampler(1, 42), y = new Sampler(1, 42), z = new Sampler(1, 43);
        for (int i = 0; i < 50; i++) {
            a[i] = x.next(logits(0.25, 0.25, 0.25, 0.25), 1, 4);
            b[i] = y.next(logits(0.25, 0.25, 0.25, 0.25), 1, 4);
            c[i] = z.next(logits(0.25, 0.25, 0.25, 0.25), 1, 4);
        }
        assertArrayEquals(a, b);
        assertEquals(false, java.util.Arrays.equals(a, c), "another seed, another sequence");
    }

    @Test void aCharacterWithoutProbabilityIsNeverDrawn() {
        Sampler s = new Sampler(1, 3);
        Tensor t = Tensor.zeros(DType.F32, Shape.of(1, 3));
        t.set(0, -1e30);
        t.set(1, 0);
        t.set(2, -1e30);
        for (int i = 0; i < 1000; i++) assertEquals(1, s.next(t, 0, 3));
    }

    @Test void aNegativeTemperatureIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Sampler(-0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(Double.NaN, 1));
    }
}
