package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryExampleTest {

    /**
     * Odd vs even on the fixture: an untrained net ranks at random (ROC AUC about 0.5) and its one-sided guesses
     * leave precision or recall near 0.5 or 0; two epochs separate the fixture's classes almost perfectly.
     */
    @Test
    void learnsOddFromEven(@TempDir Path tmp) throws Exception {
        Path data = Fixtures.digits(tmp.resolve("data"), 2000, 500);
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(Examples.named("binary"), ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data)
                .withOutDir(tmp.resolve("out")).withThreads(1), new PrintWriter(log));
        assertTrue(r.get("roc_auc") > 0.95, r.metrics() + "\n" + log);
        assertTrue(r.get("precision") > 0.85, r.metrics() + "\n" + log);
        assertTrue(r.get("recall") > 0.85, r.metrics() + "\n" + log);
        assertTrue(r.get("test_accuracy") > 0.85, r.metrics() + "\n" + log);
    }

    @Test
    void oddDigitsAreTheOnes() {
        assertEquals(java.util.List.of(0.0, 1.0, 0.0, 1.0), java.util.Arrays.stream(BinaryExample.oddColumn(new int[] {0, 7, 4, 9}).toDoubles()).boxed().toList());
    }
}
