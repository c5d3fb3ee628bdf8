package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.SGD;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * Every loss and option trains the same on the SIMD and ojalgo backends as on the reference backend. The losses
 * are composites, so this covers their primitives and the per-class constants in real plans. SGD, because its
 * step is linear in the gradient: Adam's first step is lr·sign(g), which turns float32 rounding of a near-zero
 * gradient (mae's) into a visible difference.
 */
class LossBackendProperties {

    private static List<Loss> losses() {
        return List.of(Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2, 0.25}, 0.1, 2), Losses.softmaxCrossEntropy(null, 0.2, 1),
                Losses.softmaxCrossEntropy(null, 0, 0.5), Losses.sigmoidCrossEntropy(new double[] {1, 2, 3, 4}),
                Losses.sigmoidCrossEntropy(new double[] {3}), Losses.nll(), Losses.klDiv(), Losses.huber(0.3), Losses.mse(), Losses.mae());
    }

    @Property(tries = 6)
    void lossesAgreeAcrossBackends(@ForAll @IntRange(min = 1, max = 40) int batch, @ForAll boolean f64, @ForAll long seed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        for (Loss loss : losses()) {
            Model[] models = new Model[3];
            Backend[] backends = {new ReferenceBackend(), new OjalgoBackend(), new SimdBackend(2)};
            for (int k = 0; k < 3; k++) {
                models[k] = new Model(new Net(new Dense(6), Activation.tanh(), new Dense(4)), loss, new SGD(0.1), backends[k], dtype, seed);
            }
            SplittableRandom rng = new SplittableRandom(seed);
            for (int step = 0; step < 2; step++) {
                Tensor x = Tensor.zeros(dtype, Shape.of(batch, 5));
                for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-1, 1));
                Tensor y = Tensor.zeros(dtype, Shape.of(batch, 4));
                for (int r = 0; r < batch; r++) y.set(r * 4 + rng.nextInt(4), 1);
                double l0 = models[0].trainStep(x, y);
                assertTrue(Double.isFinite(l0), loss.type() + " " + loss.attrs());
                for (int k = 1; k < 3; k++) {
                    double l = models[k].trainStep(x, y);
                    assertEquals(l0, l, (f64 ? 1e-12 : 1e-5) * Math.max(1, Math.abs(l0)),
                            loss.type() + " " + loss.attrs() + " step " + step + " on " + backends[k].name());
                }
            }
        }
    }
}
