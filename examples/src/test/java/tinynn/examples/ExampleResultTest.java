package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleResultTest {
    @Test void smallValuesKeepFourSignificantDigits() {
        assertEquals("200", ExampleResult.format(200.0));
        assertEquals("0.9812", ExampleResult.format(0.98123));
        assertEquals("0.0009123", ExampleResult.format(0.00091234));
        assertEquals("-0.01560", ExampleResult.format(-0.0156));
        assertEquals("2.500e-05", ExampleResult.format(2.5e-5));
    }

    @Test void linesAreResultsThenFiles() {
        ExampleResult r = new ExampleResult().metric("test_accuracy", 0.5).file(Path.of("out", "a.png"));
        assertEquals(List.of("result test_accuracy = 0.5000", "wrote " + Path.of("out", "a.png")), r.lines());
    }
}
