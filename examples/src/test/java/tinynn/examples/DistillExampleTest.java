package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillExampleTest {

    @Test
    void teacherAndBothStudentsLearnTheFixture(@TempDir Path dir) throws Exception {
        Path data = Fixtures.digits(dir.resolve("data"), 2000, 500);
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(new DistillExample(),
                ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data).withOutDir(dir.resolve("out")).withThreads(1), new PrintWriter(log));
        // Ten classes: chance is 0.1. The fixture's classes are a bright square in one of ten cells, which even the
        // 32-unit student separates after a few epochs (it reaches 1.0); 0.9 on the whole 500-image test set is far above chance, and
        // a student whose soft term pushed the wrong way (its sign flipped) measured 0.77.
        assertTrue(r.get("teacher_accuracy") > 0.9, log.toString());
        assertTrue(r.get("student_accuracy_plain") > 0.9, log.toString());
        assertTrue(r.get("student_accuracy_distilled") > 0.9, log.toString());
    }
}
