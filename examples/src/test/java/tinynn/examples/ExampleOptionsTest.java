package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExampleOptionsTest {

    @Test
    void parsesEveryOption() {
        ExampleOptions o = ExampleOptions.parse(new String[] {"--quick", "--data-dir", "d", "--out-dir", "o", "--seed", "5",
                "--epochs", "3", "--threads", "2", "--backend", "ojalgo", "--arch", "lenet5", "--text", "t.txt", "--image", "i.png"});
        assertEquals(new ExampleOptions(true, Path.of("d"), Path.of("o"), 5L, 3, 2, "ojalgo", "lenet5", Path.of("t.txt"), Path.of("i.png")), o);
        assertEquals(java.util.List.of("arch", "text", "image"), o.extrasGiven());
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleOptions.parse(new String[] {"--epoch", "3"}));
        assertTrue(e.getMessage().startsWith("unknown option --epoch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExampleOptions.parse(new String[] {"--seed", "x"}));
        assertEquals("--seed: 'x' is not a whole number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExampleOptions.parse(new String[] {"--seed"}));
        assertEquals("--seed needs a value", e.getMessage());
    }

    @Test
    void unknownExampleListsTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Examples.named("nope"));
        assertTrue(e.getMessage().startsWith("unknown example 'nope'; examples: "), e.getMessage());
    }
}
