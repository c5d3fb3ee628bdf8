package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MnistExampleTest {

    /**
     * The quick run of each network on the fixture's ten classes. Guessing scores 0.1; the thresholds sit well above
     * it and below what two epochs reach on the fixture (mlp and lenet5 1.0, the slower-starting lstm about 0.88 on 2000 images).
     */
    @ParameterizedTest
    @CsvSource({"mlp, 0.9", "lenet5, 0.9", "lstm, 0.7"})
    void eachNetworkLearnsTheFixture(String arch, double threshold, @TempDir Path tmp) throws Exception {
        Path data = Fixtures.digits(tmp.resolve("data"), 2000, 500);
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(Examples.named("mnist"), ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data)
                .withOutDir(tmp.resolve("out")).withArch(arch).withThreads(1), new PrintWriter(log));
        assertTrue(r.get("test_accuracy") > threshold, arch + ": test accuracy " + r.get("test_accuracy") + "\n" + log);
        assertTrue(r.get("epoch_seconds") > 0, log.toString());
        assertTrue(log.toString().contains("2000 training and 500 test images"), log.toString()); // scored on the whole (fixture) test set
    }

    @Test
    void anUnknownArchitectureIsNamed(@TempDir Path tmp) throws Exception {
        Path data = Fixtures.digits(tmp.resolve("data"), 100, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Examples.run(Examples.named("mnist"),
                ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data).withArch("vgg"), new PrintWriter(new StringWriter())));
        assertEquals("--arch: unknown network 'vgg'; use mlp, lenet5 or lstm", e.getMessage());
    }

    @Test
    void medianIgnoresTheSlowFirstEpoch() {
        assertEquals(2, MnistExample.median(new double[] {9, 2, 1}));
        assertEquals(1.5, MnistExample.median(new double[] {9, 2, 1, 1}));
    }
}
