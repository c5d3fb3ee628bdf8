package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.examples.Example;
import tinynn.examples.Examples;

/** {@code tinynn example}: the list, a run's output, and usage errors (each example's learning is tested in examples/). */
class ExampleCommandTest {

    @Test
    void withoutNameListsEveryExample() {
        Cli.Result r = Cli.run("example");
        assertEquals(0, r.code(), r.err());
        for (Example e : Examples.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(e.name() + " ") && l.endsWith(e.summary())), e.name() + " missing from:\n" + r.out());
        }
        assertEquals(Examples.all().size(), r.out().lines().count());
    }

    @Test
    void runsAnExampleAndPrintsItsResults(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("example", "dqn", "--quick", "--epochs", "20", "--threads", "1", "--out-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("result average_return = [0-9.]+")), r.out());
    }

    @Test
    void unknownExampleIsAUsageError() {
        Cli.Result r = Cli.run("example", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("tinynn example: unknown example 'nope'; examples: "), r.err());
    }

    @Test
    void anOptionTheExampleDoesNotReadIsAUsageError() {
        Cli.Result r = Cli.run("example", "dqn", "--arch", "lenet5");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("tinynn example: example dqn has no --arch option"), r.err());
        r = Cli.run("example", "dqn", "--threads", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("tinynn example: --threads must be at least 1, got 0"), r.err());
    }
}
