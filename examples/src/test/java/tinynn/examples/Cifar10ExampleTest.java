package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;

class Cifar10ExampleTest {
    @TempDir Path tmp;

    @Test
    void quickRunOnCifarFormatFilesInDataDirLearnsAndWritesTheAugmentedBatch() throws Exception {
        Path data = Cifar10Fixture.write(tmp.resolve("data"), 2000, 500, 7);
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(Examples.named("cifar10"),
                ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data).withOutDir(tmp.resolve("out")).withThreads(1),
                new PrintWriter(log));

        // Ten balanced classes: an untrained net scores about 0.1; this toy set is learned to ~1.0 in three epochs,
        // so 0.6 leaves a wide margin while no model that failed to learn colour and stripe direction can pass.
        assertTrue(r.get("test_accuracy") > 0.6, "test accuracy " + r.get("test_accuracy") + "\n" + log);
        assertTrue(log.toString().contains("2000 training and 500 test images of 3x32x32"), log.toString());
        assertEquals(3, log.toString().lines().filter(l -> l.startsWith("epoch ")).count(), log.toString());

        GreyImage png = ImageDecoder.decode(tmp.resolve("out").resolve("augmented.png"));
        assertEquals(8 * (32 + ImageGrid.GAP) + ImageGrid.GAP, png.width()); // 8 tiles of 32 pixels across, a gap around each
        assertEquals(4 * (32 + ImageGrid.GAP) + ImageGrid.GAP, png.height()); // the first 32 images of a batch of 32
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float p : png.pixels()) { min = Math.min(min, p); max = Math.max(max, p); }
        assertTrue(max - min > 0.3f, "not a constant picture: " + min + ".." + max);
    }
}
