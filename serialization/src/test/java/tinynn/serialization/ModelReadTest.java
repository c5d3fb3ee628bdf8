package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

/**
 * A file is buffered once and its tensors alias that buffer (no second copy): a native `tinynn predict` pays
 * for every fresh megabyte in page faults. Large files fail as cleanly as small ones.
 */
class ModelReadTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Path save(Path dir, int inputs, int hidden) throws Exception {
        Model model = new Model(new Net(new Dense(inputs, hidden), Activation.relu(), new Dense(hidden, 10)),
                Losses.softmaxCrossEntropy(), new Adam(1e-3), new OjalgoBackend(), DType.F32, 5);
        Path file = dir.resolve("m" + inputs + "x" + hidden + ".tnn");
        model.save(file);
        return file;
    }

    private static long allocatedByRead(Path file) {
        ModelFileReader.read(file); // class loading and first-call costs
        long before = THREADS.getCurrentThreadAllocatedBytes();
        ModelFileReader.read(file);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aFileIsBufferedOnceNotTwice(@TempDir Path dir) throws Exception {
        Path file = save(dir, 784, 800);
        long size = Files.size(file);
        long allocated = allocatedByRead(file);
        assertTrue(allocated < size * 3 / 2, "reading a " + size + "-byte file allocated " + allocated + " bytes");
    }

    @Test
    void aLargeCorruptOrTruncatedFileFailsCleanly(@TempDir Path dir) throws Exception {
        Path file = save(dir, 784, 800);
        byte[] bytes = Files.readAllBytes(file);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Path bad = dir.resolve("flipped.tnn");
        Files.write(bad, flipped);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFileReader.read(bad));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

        Path cut = dir.resolve("cut.tnn");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 1000));
        e = assertThrows(ModelFileException.class, () -> ModelFileReader.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString() + ": "), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file), "reading never writes");
    }
}
