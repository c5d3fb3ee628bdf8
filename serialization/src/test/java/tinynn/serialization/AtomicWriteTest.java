package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Model;

/** write(Path) never leaves a torn file or a temporary file behind. */
class AtomicWriteTest {

    @TempDir Path dir;

    /** Wraps the writer's stream so that it fails once {@code limit} bytes have been written. */
    private static UnaryOperator<OutputStream> failAfter(long limit, RuntimeException runtime) {
        return out -> new FilterOutputStream(out) {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > limit) {
                    int part = (int) Math.max(0, limit - written);
                    out.write(b, off, part); // a partial write reaches the file first
                    written += part;
                    if (runtime != null) {
                        throw runtime;
                    }
                    throw new IOException("simulated disk failure after " + written + " bytes");
                }
                out.write(b, off, len);
                written += len;
            }
        };
    }

    private static Model model(long seed) {
        return RandomModels.create(seed, DType.F32).model().toBuilder()
                .addParameters(Tensors.f32("big", new long[] {100_000}, new float[100_000])).build();
    }

    @Test
    void existingFileSurvivesAnIoFailureMidWrite() throws IOException {
        Path file = dir.resolve("model.tnn");
        Model good = model(1);
        ModelFileWriter.write(file, good);
        byte[] before = Files.readAllBytes(file);

        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFileWriter.write(file, model(2), failAfter(200_000, null)));
        assertEquals(Reason.IO, e.reason());
        assertEquals(file + ": cannot write (simulated disk failure after 200000 bytes); check free disk space and"
                + " the permissions of " + dir.toAbsolutePath(), e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file), "old file untouched");
        assertEquals(good, ModelFileReader.read(file));
        assertEquals(List.of("model.tnn"), TestFiles.list(dir), "temporary file removed");
    }

    @Test
    void existingFileSurvivesAnUncheckedFailureMidWrite() throws IOException {
        Path file = dir.resolve("model.tnn");
        Model good = model(3);
        ModelFileWriter.write(file, good);
        byte[] before = Files.readAllBytes(file);

        for (long limit : new long[] {0, 1, 5, 4096, 300_000}) {
            IllegalStateException boom = new IllegalStateException("boom at " + limit);
            assertSame(boom, assertThrows(IllegalStateException.class,
                    () -> ModelFileWriter.write(file, model(4), failAfter(limit, boom))));
            assertArrayEquals(before, Files.readAllBytes(file), "old file untouched after failure at " + limit);
            assertEquals(List.of("model.tnn"), TestFiles.list(dir), "temporary file removed after failure at " + limit);
        }
        assertEquals(good, ModelFileReader.read(file));
    }

    @Test
    void failureWithoutAnExistingFileLeavesNothing() {
        Path file = dir.resolve("new.tnn");
        assertThrows(ModelFileException.class, () -> ModelFileWriter.write(file, model(5), failAfter(10, null)));
        assertEquals(List.of(), TestFiles.list(dir));
    }

    @Test
    void successfulOverwriteReplacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.tnn");
        ModelFileWriter.write(file, model(6));
        Model second = model(7);
        ModelFileWriter.write(file, second);
        assertArrayEquals(ModelFileWriter.toBytes(second), Files.readAllBytes(file));
        assertEquals(second, ModelFileReader.read(file));
        assertEquals(List.of("model.tnn"), TestFiles.list(dir));
    }

    @Test
    void invalidModelIsRefusedAndExistingFileKept() throws IOException {
        Path file = dir.resolve("model.tnn");
        Model good = model(8);
        ModelFileWriter.write(file, good);
        Model bad = good.toBuilder().setHeader(good.getHeader().toBuilder().setMagic("")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFileWriter.write(file, bad));
        assertEquals("cannot write an invalid tinynn model: header magic is '', expected 'tinynn.model' (not a tinynn"
                + " model file)", e.getMessage());
        assertEquals(good, ModelFileReader.read(file));
        assertEquals(List.of("model.tnn"), TestFiles.list(dir));
    }

    @Test
    void missingDirectoryIsReported() {
        Path file = dir.resolve("no/such/dir/model.tnn");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFileWriter.write(file, model(9)));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals(file + ": the directory " + dir.resolve("no/such/dir").toAbsolutePath() + " does not exist;"
                + " create it first or choose another path", e.getMessage());
        assertTrue(TestFiles.list(dir).isEmpty());
    }

    @Test
    void relativePathsWork() throws IOException {
        // Write into the temp dir via a path relative to it, to exercise parent resolution.
        Path file = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.tnn").toAbsolutePath());
        Model m = model(10);
        ModelFileWriter.write(file, m);
        assertEquals(m, ModelFileReader.read(file));
    }
}
