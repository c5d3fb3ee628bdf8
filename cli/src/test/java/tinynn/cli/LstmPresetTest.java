package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * {@code --arch lstm}: an image read as 28 time steps of a 28-pixel row ([N, H, W]), LSTM(128), dense 10. It must learn
 * the generated fixture; its file stores [-1, 28, 28]; inspect, predict and eval feed it rows; bench times it.
 */
class LstmPresetTest {
    @TempDir static Path dir;
    static Fixtures fx;
    static Path model;
    static Cli.Result trained;

    @BeforeAll static void train() throws IOException {
        fx = Fixtures.write(dir, 600, 100);
        model = dir.resolve("lstm.tnn");
        trained = Cli.run("train", "--arch", "lstm", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--test-images", fx.testImages.toString(), "--test-labels", fx.testLabels.toString(), "--epochs", "3",
                "--batch-size", "32", "--progress", "none", "--threads", "1", "--out", model.toString());
    }

    @Test void learns() throws IOException {
        assertEquals(0, trained.code(), trained::toString);
        // LSTM 4·128·(28 + 128) + 4·128 = 80,384; dense 128·10 + 10 = 1,290.
        assertTrue(trained.out().startsWith("train-images-idx3-ubyte: lstm, 81,674 parameters (f32), adam lr 0.001, batch 32"), trained::toString);
        List<EpochMetrics> h = Model.load(model).history();
        assertEquals(3, h.size());
        assertTrue(h.getLast().trainLoss() < h.getFirst().trainLoss(), trained::toString);
        assertTrue(h.getLast().testAccuracy() > 0.9, trained::toString);
    }

    @Test void theFileStoresRowsAsTimeSteps() throws IOException {
        Model m = Model.load(model);
        assertEquals(Shape.of(1, 28, 28), m.inputShape());
        assertEquals("-1,28,28", m.metadata().get("input_shape"));
        Cli.Result i = Cli.run("inspect", model.toString());
        assertEquals(0, i.code(), i::toString);
        assertTrue(i.out().matches("(?s).*\\n0\\s+standardize0\\s+standardize\\s+\\[-1, 28, 28\\]\\s+0\\b.*"), i::toString);
        assertTrue(i.out().matches("(?s).*\\n1\\s+lstm1\\s+lstm\\s+\\[-1, 128\\]\\s+80,384\\b.*"), i::toString);
    }

    @Test void theInputsAreStandardisedWithTheTrainingSetsStatistics() throws IOException {
        double[] ms = tinynn.data.ImageDataset.load(fx.trainImages, fx.trainLabels, 10).pixelStatistics();
        assertEquals(new tinynn.ops.nn.Standardize(ms[0], ms[1]), Model.load(model).net().layers().getFirst());
    }

    @Test void predictsAndEvaluatesImages() {
        Cli.Result p = Cli.run("predict", model.toString(), fx.png.toString(), "--top", "1");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().startsWith(fx.png + ": 3 (p="), p::toString);
        Cli.Result e = Cli.run("eval", model.toString(), "--images", fx.testImages.toString(), "--labels", fx.testLabels.toString());
        assertEquals(0, e.code(), e::toString);
        assertTrue(CommandFlowTest.number(e.out(), "accuracy  (\\d\\.\\d+)") > 0.9, e::toString);
    }

    @Test void flopsCountBothProductsOfEveryStep() {
        Flops f = Flops.of(Architectures.adapt(Architectures.lstm(10), 0.13, 0.31).layers(), DType.F32, Shape.of(1, 28, 28));
        long lstm = 2L * 28 * (28 + 128) * 4 * 128, dense = 2L * 128 * 10;
        assertEquals(lstm + dense, f.forward());
        assertEquals(2 * lstm + 3 * dense, f.training(), "nothing before the LSTM has parameters: no input gradient");
        // A time-distributed dense layer counts every step; an embedding lookup counts nothing.
        Flops c = Flops.of(Architectures.charlstm(30, List.of(16)).layers(), DType.F32, Shape.of(1, 5));
        long cl = 2L * 5 * (64 + 16) * 4 * 16, cd = 2L * 5 * 16 * 30;
        assertEquals(cl + cd, c.forward());
        assertEquals(3 * cl + 3 * cd, c.training());
    }

    @Test void benchTimesIt() {
        Cli.Result b = Cli.run("bench", "--arch", "lstm", "--synthetic", "--limit", "256", "--backends", "simd", "--threads", "1");
        assertEquals(0, b.code(), b::toString);
        assertTrue(b.out().contains("net: lstm, 4,475,392 FLOPs per image forward, 8,953,344 per training image"), b::toString);
        assertTrue(b.out().matches("(?s).*\\nsimd\\s+1\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\n.*"), b::toString);
    }

    /** bench --arch charlstm: train's character model on random text, training and generated characters per second. */
    @Test void benchTimesTheCharacterModel() {
        Cli.Result b = Cli.run("bench", "--arch", "charlstm", "--limit", "8", "--backends", "simd", "--threads", "1");
        assertEquals(0, b.code(), b::toString);
        // embedding 0; LSTM 2·(64 + 256)·1024 = 655,360; dense 2·256·65 = 33,280 per character; training 3× both.
        assertTrue(b.out().contains("net: charlstm, vocabulary 65, 688,640 FLOPs per character forward, 2,065,920 per training character"), b::toString);
        assertTrue(b.out().contains("data: random text, 8 sequences of 100 characters"), b::toString);
        assertTrue(b.out().matches("(?s).*\\nsimd\\s+1\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d\\s+\\d+\\s+\\d+\\n.*"), b::toString);
    }
}
