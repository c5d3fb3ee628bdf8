package tinynn.runtime.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backends;
import tinynn.runtime.optim.Adam;

/** runtime's tests run without tinynn-serialization, as a library user who forgot the dependency would. */
class ModelCodecMissingTest {

    @Test
    void savingWithoutSerializationNamesTheArtifactToAdd(@TempDir Path dir) {
        Model model = new Model(new Net(new Dense(4, 2), Activation.relu()), Losses.softmaxCrossEntropy(), new Adam(1e-3),
                Backends.create("simd", 1), DType.F32, 1);
        var e = assertThrows(IllegalStateException.class, () -> model.save(dir.resolve("m.tnn")));
        assertTrue(e.getMessage().contains("dev.tinynn:tinynn-serialization"), e.getMessage());
        var l = assertThrows(IllegalStateException.class, () -> Model.load(dir.resolve("m.tnn")));
        assertTrue(l.getMessage().contains("dev.tinynn:tinynn-serialization"), l.getMessage());
    }
}
