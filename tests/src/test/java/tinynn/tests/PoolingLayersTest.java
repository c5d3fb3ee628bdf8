package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.SGD;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/** The three pooling layers, made by Layers.create as model files and specs make them, train alike on every backend. */
class PoolingLayersTest {

    private static List<Layer> layers(boolean global) {
        Layer max = Layers.create("max_pool2d", Map.of("kernel", 2L));
        Layer avg = Layers.create("avg_pool2d", Map.of("kernel", List.of(3L, 2L), "stride", 1L, "padding", List.of(1L, 0L), "count_include_pad", false));
        Layer last = global ? Layers.create("global_avg_pool2d", Map.of()) : new Flatten();
        return List.of(max, avg, last, new Dense(5));
    }

    @Test
    void trainingStepsAgreeAcrossBackends() {
        for (boolean global : new boolean[] {false, true}) {
            for (DType dtype : DType.values()) {
                Backend[] backends = {new ReferenceBackend(), new OjalgoBackend(), new SimdBackend(1), new SimdBackend(2)};
                double[] losses = new double[backends.length];
                double[][] outputs = new double[backends.length][];
                for (int k = 0; k < backends.length; k++) {
                    Model m = new Model(new Net(layers(global)), Losses.softmaxCrossEntropy(), new SGD(0.1, 0.9, 0), backends[k], dtype, 7);
                    SplittableRandom rng = new SplittableRandom(3);
                    Tensor x = Tensor.zeros(dtype, Shape.of(4, 3, 9, 11));
                    for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-1, 1));
                    Tensor y = Tensor.zeros(dtype, Shape.of(4, 5));
                    for (int r = 0; r < 4; r++) y.set(r * 5 + rng.nextInt(5), 1);
                    for (int step = 0; step < 3; step++) losses[k] = m.trainStep(x, y);
                    outputs[k] = m.forward(x).toDoubles();
                }
                double tol = dtype == DType.F64 ? 1e-12 : 1e-5;
                for (int k = 1; k < backends.length; k++) {
                    String what = (global ? "global" : "flatten") + " " + dtype + " on " + backends[k].describe();
                    assertEquals(losses[0], losses[k], tol, what);
                    BackendDifferentialProperties.assertClose(what, outputs[0], outputs[k], tol * 10);
                }
                for (Backend b : backends) b.close();
            }
        }
    }
}
