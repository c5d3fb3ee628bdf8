package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Model;

/**
 * A writer killed during a save leaves its temporary file; the next save next to the same target removes the ones
 * whose process is gone (and that are not brand new), and leaves those of live processes and of other targets.
 */
class StaleTempsTest {

    @TempDir Path dir;

    private static final String HEX = "0123456789abcdef";

    private static long deadPid() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        long pid = p.pid();
        assumeTrue(ProcessHandle.of(pid).isEmpty(), "pid " + pid + " was reused at once");
        return pid;
    }

    private Path temp(String name, Duration age) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    private static Model model() {
        return RandomModels.create(1, DType.F32).model();
    }

    @Test
    void tempFilesOfDeadWritersAreRemovedOnTheNextSave() throws Exception {
        long dead = deadPid();
        long live = ProcessHandle.current().pid();
        Path stale = temp(".model.tnn." + dead + "-" + HEX + ".tmp", Duration.ofMinutes(10));
        Path liveWriter = temp(".model.tnn." + live + "-" + HEX + ".tmp", Duration.ofMinutes(10));
        Path fresh = temp(".model.tnn." + dead + "-fedcba9876543210.tmp", Duration.ofSeconds(1));
        Path otherTarget = temp(".other.tnn." + dead + "-" + HEX + ".tmp", Duration.ofMinutes(10));
        Path oldStyle = temp(".model.tnn." + HEX + ".tmp", Duration.ofHours(2));
        Path oldStyleRecent = temp(".model.tnn.fedcba9876543210.tmp", Duration.ofMinutes(10));
        Path notOurs = temp(".model.tnn.notes.tmp", Duration.ofDays(3));

        ModelFileWriter.write(dir.resolve("model.tnn"), model());

        assertFalse(Files.exists(stale), "a dead writer's temporary file is removed");
        assertFalse(Files.exists(oldStyle), "an hours-old temporary file of an older tinynn is removed");
        assertTrue(Files.exists(liveWriter), "a live writer's temporary file is kept");
        assertTrue(Files.exists(fresh), "a brand-new one is kept (its writer may be invisible from here)");
        assertTrue(Files.exists(otherTarget), "another target's temporary file is kept");
        assertTrue(Files.exists(oldStyleRecent));
        assertTrue(Files.exists(notOurs), "names tinynn does not write are kept");
        assertEquals(model(), ModelFileReader.read(dir.resolve("model.tnn")));
    }

    @Test
    void theTemporaryFileNamesTheWritersProcess() {
        List<String> during = new ArrayList<>();
        ModelFileWriter.write(dir.resolve("m.tnn"), model(), out -> {
            during.addAll(TestFiles.list(dir));
            return out;
        });
        assertEquals(1, during.size(), during.toString());
        assertTrue(during.getFirst().matches("\\.m\\.tnn\\." + ProcessHandle.current().pid() + "-[0-9a-f]{16}\\.tmp"),
                during.toString());
        assertEquals(List.of("m.tnn"), TestFiles.list(dir));
    }

    @Test
    void staleness() {
        Instant now = Instant.now();
        String self = Long.toString(ProcessHandle.current().pid());
        assertFalse(StaleTemps.isStale(self, now.minus(Duration.ofDays(1)), now), "live process");
        assertFalse(StaleTemps.isStale(null, now.minus(Duration.ofMinutes(59)), now));
        assertTrue(StaleTemps.isStale(null, now.minus(Duration.ofMinutes(61)), now));
    }
}
