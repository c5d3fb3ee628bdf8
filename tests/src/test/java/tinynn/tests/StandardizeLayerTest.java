package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.ops.nn.Standardize;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.SGD;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/** The standardize layer: (x − mean) / std on every backend, as a spec or a model file makes it; errors name the fix. */
class StandardizeLayerTest {

    @Test
    void itIsXMinusMeanOverStdOnEveryBackend() {
        Layer layer = Layers.create("standardize", Map.of("mean", 0.25, "std", 0.5));
        for (DType dtype : DType.values()) {
            for (Backend b : new Backend[] {new ReferenceBackend(), new OjalgoBackend(), new SimdBackend(1), new SimdBackend(2)}) {
                Model m = new Model(new Net(List.of(layer)), Losses.mse(), new SGD(0.1), b, dtype, 7);
                SplittableRandom rng = new SplittableRandom(5);
                Tensor x = Tensor.zeros(dtype, Shape.of(3, 2, 7, 5));
                for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(0, 1));
                double[] in = x.toDoubles(), out = m.forward(x).toDoubles();
                for (int i = 0; i < in.length; i++) {
                    assertEquals((in[i] - 0.25) / 0.5, out[i], dtype == DType.F64 ? 0 : 1e-6, dtype + " on " + b.describe() + " at " + i);
                }
                b.close();
            }
        }
    }

    @Test
    void attrsRoundTripAndUnadaptedLayersSayWhatToDo() {
        Layer given = Layers.create("standardize", Map.of("mean", 0.1307, "std", 0.3081));
        assertEquals(new Standardize(0.1307, 0.3081), given);
        assertEquals(given, Layers.create(given.type(), given.attrs()));
        Layer open = Layers.create("standardize", Map.of());
        assertEquals(Standardize.unadapted(), open);
        assertEquals(Map.of(), open.attrs());
        tinynn.graph.Node x = new tinynn.graph.Graph().placeholder("input", DType.F32, 2, 784);
        assertEquals("layer 'standardize0': standardize has no mean and std yet; give them in the spec, or train the model"
                + " (train computes them from the training set)", assertThrows(GraphException.class, () -> open.build(x, "standardize0")).getMessage());
    }

    @Test
    void badAttributesAreOneLineErrors() {
        assertEquals("standardize: give both 'mean' and 'std', or neither (train then computes them from the training set)",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("standardize", Map.of("mean", 0.5))).getMessage());
        assertEquals("standardize: std must be a finite number > 0, got 0.0 (give both mean and std, or neither)",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("standardize", Map.of("mean", 0.5, "std", 0.0))).getMessage());
        String typo = assertThrows(IllegalArgumentException.class, () -> Layers.create("standardize", Map.of("mean", 0.5, "stdev", 0.2))).getMessage();
        assertEquals(true, typo.contains("stdev") && typo.contains("standardize"), typo);
    }
}
