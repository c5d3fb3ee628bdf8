package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What start-up does and skips (docs/native.md, "Start-up"). */
class StartupTest {

    @Test void aSingleImageIsPredictedWithoutWorkerThreads() {
        assertEquals(1, PredictCommand.defaultThreads(List.of(Path.of("digit.png"))));
        assertEquals(1, PredictCommand.defaultThreads(List.of(Path.of("dir/Photo.JPG"))));
        assertEquals(1, PredictCommand.defaultThreads(List.of(Path.of("photo.jpeg"))));
    }

    @Test void manyExamplesArePredictedOnAllCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, PredictCommand.defaultThreads(List.of(Path.of("a.png"), Path.of("b.png"))));
        assertEquals(cores, PredictCommand.defaultThreads(List.of(Path.of("t10k-images-idx3-ubyte"))));
        assertEquals(cores, PredictCommand.defaultThreads(List.of(Path.of("rows.csv"))));
    }

    @Test void theJvmBuildsANewCommandTreeEachTime() {
        // Only the native image has a tree built in advance; a second take must never see the first one's parse.
        CommandLine first = CommandTree.take();
        CommandLine second = CommandTree.take();
        assertNotSame(first, second);
        assertNotSame(first.getCommand(), second.getCommand());
        assertNull(System.getProperty("org.graalvm.nativeimage.imagecode"), "these tests run on the JVM");
    }

    @Test void theTraceIsSilentUnlessAskedFor() {
        assertNull(System.getProperty(StartupTrace.PROPERTY), "the tests run without -Dtinynn.trace");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StartupTrace.mark("main");
        StartupTrace.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
