package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.TrainingRun;
import tinynn.serialization.ModelFileReader;
import tinynn.serialization.proto.TrainingState;

/**
 * A checkpoint written by tinynn 0.1 (commit f84f785), whose resume state is metadata strings
 * (see src/test/resources/legacy/README.md): it loads into the typed state, and resumes exactly as
 * the same state saved in typed fields does, and as 0.1 itself resumed it.
 */
class LegacyResumeStateTest {
    @TempDir Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/legacy/" + name)) {
            assertNotNull(in, name);
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    @Test void aVersion01CheckpointLoadsIntoTheTypedStateAndResumesAsIt() throws IOException {
        Path legacy = resource("legacy-interrupted.tnn");
        Path train = resource("train.csv"), test = resource("test.csv");

        Model m = Model.load(legacy);
        assertEquals(16, m.batchSize());
        assertEquals(new EpochPosition(2, 4.191253423690796, 2), m.epochPosition());
        assertEquals(2.344984769821167, m.initialLoss());
        assertEquals(new TrainingRun(3, null, null, null, null, null, null, "/tmp/tinynn-legacy-fixture/train.csv",
                "/tmp/tinynn-legacy-fixture/test.csv", 8, 8, 10, 60), m.trainingRun());
        assertEquals(7, m.parameters().seed());
        assertEquals(1, m.epoch());
        assertFalse(m.metadata().keySet().stream().anyMatch(k -> k.startsWith("train_") || k.startsWith("test_")), m.metadata()::toString);
        assertEquals("train.csv", m.metadata().get("dataset"));

        // Saved again, the state is in typed fields and no longer in metadata.
        Path typed = dir.resolve("typed.tnn");
        m.save(typed);
        TrainingState t = ModelFileReader.read(typed).getTraining();
        assertEquals(16, t.getBatchSize());
        assertEquals(2, t.getEpochPosition().getStep());
        assertEquals(4.191253423690796, t.getEpochPosition().getLossSum());
        assertEquals(2, t.getEpochPosition().getLossSteps());
        assertEquals(2.344984769821167, t.getInitialLoss());
        assertEquals(3, t.getRun().getEpochs());
        assertEquals(60, t.getRun().getLimit());
        assertFalse(ModelFileReader.read(typed).getMetadataMap().keySet().stream().anyMatch(k -> k.startsWith("train_")));

        // Both resume with the recorded --epochs, --classes and --limit; the data is given again (the recorded paths were the writer's).
        String[] data = {"--train-csv", train.toString(), "--test-csv", test.toString(), "--progress", "none", "--threads", "1"};
        Cli.Result a = Cli.run(concat(new String[] {"train", "--resume", legacy.toString()}, data));
        Cli.Result b = Cli.run(concat(new String[] {"train", "--resume", typed.toString()}, data));
        assertEquals(0, a.code(), a::toString);
        assertEquals(0, b.code(), b::toString);
        assertEquals(seconds(a.out()).replace("legacy-interrupted.tnn", "typed.tnn").replace(legacy.toString(), typed.toString()),
                seconds(b.out()), () -> a + "\n" + b);
        assertTrue(a.out().contains("data: 60 training examples, 20 test examples") && a.out().contains("batch 16"), a::toString);
        // 0.1 printed, resuming this file: epoch 2/3 train loss 2.0619 (the whole epoch, two steps of which ran before the interrupt), epoch 3/3 1.8968.
        assertEquals(2.0619, CommandFlowTest.number(a.out(), "epoch 2/3  train loss (\\d+\\.\\d+)"), 2e-4, a::toString);
        assertEquals(1.8968, CommandFlowTest.number(a.out(), "epoch 3/3  train loss (\\d+\\.\\d+)"), 2e-4, a::toString);

        Model ra = Model.load(legacy), rb = Model.load(typed);
        assertEquals(12, ra.globalStep()); // 4 + 2 before the interrupt, 2 + 4 after
        assertEquals(EpochPosition.START, ra.epochPosition());
        for (Map.Entry<String, Tensor> e : ra.parameters().asMap().entrySet()) {
            Tensor x = e.getValue(), y = rb.parameters().asMap().get(e.getKey());
            for (int i = 0; i < x.size(); i++) assertEquals(x.get(i), y.get(i), 0, e.getKey());
        }
    }

    private static String seconds(String out) {
        return out.replaceAll("\\d+\\.\\d s\\n", "s\n");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
