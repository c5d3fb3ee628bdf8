package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.serialization.ModelFileReader;
import tinynn.serialization.ModelWriter;

/**
 * A file written before training / inference modes (the tinynn 0.1 checkpoint in src/test/resources/legacy) still
 * loads, has no state, predicts what the training-mode forward computes (an MLP has no mode-dependent layer), and
 * saved again it stores exactly the graph it had: the inference graph is the graph files always held.
 */
class ModesOnOldFilesTest {

    @TempDir Path dir;

    @Test void anOldFileLoadsAndBothModesAgree() throws IOException {
        Path legacy = dir.resolve("legacy.tnn");
        try (InputStream in = getClass().getResourceAsStream("/legacy/legacy-interrupted.tnn")) {
            assertNotNull(in);
            Files.copy(in, legacy);
        }
        Model m = Model.load(legacy);
        assertEquals(m.parameters().count(), m.parameters().trainableCount(), "no state in an MLP");
        int features = m.inputShape().dim(1);
        Tensor x = Tensor.zeros(m.dtype(), Shape.of(7, features));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.size(); i++) x.set(i, r.nextDouble());
        double[] predicted = m.predict(x).toDoubles();
        assertArrayEquals(predicted, m.forward(x).toDoubles(), "an MLP computes the same in both modes");
        assertEquals(ModelFileReader.read(legacy).getGraph(), ModelWriter.toProto(m, false).getGraph(),
                "the stored graph of an old file is the graph tinynn writes now");
    }
}
