package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.reference.ReferenceBackend;

/**
 * A model spec's dense `init` with `init_gain` / `init_mode` reaches the layer, and so its saved `w_init`; a conv2d's
 * `init` / `w_init`, `init_gain`, `init_mode`, `b_init` and `b` reach the weights the model starts from.
 */
class SpecInitializerTest {
    @TempDir Path dir;

    private Architectures.Spec spec(String denseAttrs) throws IOException {
        Path f = dir.resolve("spec.txtpb");
        Files.writeString(f, "layers {\n  layers { type: \"dense\" attrs { key: \"out\" value { i: 8 } } " + denseAttrs + " }\n}\n");
        return Architectures.fromFile(f);
    }

    @Test void gainAndModeAttributesFoldIntoTheInitializerName() throws IOException {
        Architectures.Spec s = spec("attrs { key: \"init\" value { s: \"he_normal\" } } attrs { key: \"init_gain\" value { f: 0.5 } }"
                + " attrs { key: \"init_mode\" value { s: \"fan_out\" } }");
        assertEquals("he_normal(gain=0.5,mode=fan_out)", ((Dense) s.layers().get(0)).attrs().get("w_init"));
        Architectures.Spec named = spec("attrs { key: \"init\" value { s: \"orthogonal(gain=2)\" } }");
        assertEquals("orthogonal(gain=2.0)", ((Dense) named.layers().get(0)).attrs().get("w_init"));
    }

    @Test void aBadInitializerNamesTheFileAndLayer() {
        Failure e = assertThrows(Failure.class, () -> spec("attrs { key: \"init\" value { s: \"he_normal\" } } attrs { key: \"init_mode\" value { s: \"fan_up\" } }"));
        assertTrue(e.getMessage().contains("spec.txtpb: layer 0 (dense): initializer mode 'fan_up' is not fan_in, fan_out or fan_avg"), e.getMessage());
    }

    /**
     * Two conv2d layers on [1, 2, 8, 8]: he_uniform with gain 0.5 over fan_out and no bias, whose 16·2·5·5 weights fill
     * U(±b), b = 0.5·√(2·3 / fan_out) = 0.5·√(6 / (16·5·5)) = 0.0612 (over fan_in, 2·5·5, it would be 0.173); then
     * constants, exactly as named.
     */
    @Test void convInitAttributesSetTheStartingWeights() throws IOException {
        Path f = dir.resolve("conv.txtpb");
        Files.writeString(f, """
                layers {
                  layers { type: "conv2d" attrs { key: "out" value { i: 16 } } attrs { key: "kernel" value { i: 5 } }
                           attrs { key: "init" value { s: "he_uniform" } } attrs { key: "init_gain" value { f: 0.5 } }
                           attrs { key: "init_mode" value { s: "fan_out" } } attrs { key: "b" value { b: false } } }
                  layers { type: "conv2d" attrs { key: "out" value { i: 3 } } attrs { key: "kernel" value { i: 3 } }
                           attrs { key: "w_init" value { s: "constant(0.25)" } } attrs { key: "b_init" value { s: "constant(-0.5)" } } }
                }
                """);
        Architectures.Spec s = Architectures.fromFile(f);
        Model m = new Model(new Net(s.layers()), Losses.mse(), new Adam(0.01), new ReferenceBackend(), DType.F64, 11);
        m.predict(Tensor.zeros(DType.F64, Shape.of(1, 2, 8, 8)));

        double[] w0 = m.parameters().get("conv2d0.w").toDoubles();
        assertEquals(16 * 2 * 5 * 5, w0.length);
        double bound = 0.5 * Math.sqrt(6.0 / (16 * 5 * 5)), max = 0, sum = 0;
        for (double v : w0) {
            max = Math.max(max, Math.abs(v));
            sum += v;
        }
        assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + " against the bound " + bound);
        assertTrue(Math.abs(sum / w0.length) < bound / 10, "mean " + sum / w0.length);
        assertEquals(null, m.parameters().get("conv2d0.b"), "b: false, no bias");
        assertEquals("he_uniform(gain=0.5,mode=fan_out)", s.layers().get(0).attrs().get("w_init"));

        for (double v : m.parameters().get("conv2d1.w").toDoubles()) assertEquals(0.25, v);
        double[] b1 = m.parameters().get("conv2d1.b").toDoubles();
        assertEquals(3, b1.length);
        for (double v : b1) assertEquals(-0.5, v);
    }
}
