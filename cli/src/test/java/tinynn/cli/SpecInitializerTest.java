package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.ops.nn.Dense;

/** A model spec's dense `init` with `init_gain` / `init_mode` reaches the layer, and so its saved `w_init`. */
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
}
