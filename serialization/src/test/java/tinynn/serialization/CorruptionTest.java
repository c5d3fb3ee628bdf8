package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.DType;

/**
 * Property: no damaged input makes a reader fail with anything but {@link ModelFileException} (no other
 * exception, no OutOfMemoryError, no hang), and damage the checksum must catch is always caught.
 */
class CorruptionTest {

    static LongStream seeds() {
        return Seeds.of(300);
    }

    private static byte[] validFile(SplittableRandom r) {
        return ModelFileWriter.toBytes(RandomModels.create(r.nextLong(), r.nextBoolean() ? DType.F32 : DType.F64).model());
    }

    /** Runs the in-memory reader (the same code path read(Path) uses after I/O) and returns what it threw. */
    private static ModelFileException decodeFailure(byte[] data) {
        ModelFileException e = decodeOutcome(data);
        assertNotNull(e, "damaged data was accepted");
        return e;
    }

    /** What decoding threw, or null if it succeeded; fails the test for any other Throwable. */
    private static ModelFileException decodeOutcome(byte[] data) {
        try {
            ModelFileReader.decode(data, "fuzz.tnn");
            return null;
        } catch (Throwable t) {
            ModelFileException e = assertInstanceOf(ModelFileException.class, t, "only ModelFileException may escape");
            assertTrue(e.getMessage().startsWith("fuzz.tnn: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
            return e;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncationIsAlwaysDetected(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] file = validFile(r);
        int length = r.nextInt(file.length); // strictly shorter
        ModelFileException e = decodeFailure(Arrays.copyOf(file, length));
        assertTrue(Set.of(Reason.CORRUPT, Reason.NOT_A_MODEL).contains(e.reason()), e.getMessage());
        if (length >= ModelFormat.PREFIX_BYTES) {
            assertEquals("fuzz.tnn: checksum mismatch (file is corrupt or truncated); re-save the model or restore it"
                    + " from a backup", e.getMessage());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncatedFileOnDiskIsDetected(long seed, @TempDir Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] file = validFile(r);
        Path path = dir.resolve("cut.tnn");
        Files.write(path, Arrays.copyOf(file, r.nextInt(file.length)));
        try {
            ModelFileReader.read(path);
            fail("truncated file was accepted");
        } catch (Throwable t) {
            ModelFileException e = assertInstanceOf(ModelFileException.class, t);
            assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anySingleByteChangeIsDetected(long seed) {
        // CRC-32C detects every error burst of up to 32 bits, so one damaged byte is always caught.
        SplittableRandom r = new SplittableRandom(seed);
        byte[] file = validFile(r);
        int pos = r.nextInt(file.length);
        file[pos] ^= (byte) r.nextInt(1, 256);
        ModelFileException e = decodeFailure(file);
        if (pos == 0) {
            assertEquals(Reason.NOT_A_MODEL, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("not a tinynn model file"), e.getMessage());
        } else {
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void manyRandomByteChangesAreRejected(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] original = validFile(r);
        byte[] file = original.clone();
        int flips = r.nextInt(2, 10);
        for (int i = 0; i < flips; i++) {
            file[r.nextInt(file.length)] ^= (byte) r.nextInt(1, 256);
        }
        // Flips may cancel out (same byte, same mask twice); otherwise the checksum must reject the file.
        ModelFileException e = decodeOutcome(file);
        if (e == null) {
            assertTrue(Arrays.equals(original, file), "a changed file was accepted");
        }
    }

    /**
     * Damage behind a checksum that was recomputed afterwards (as a buggy or hostile writer would produce) reaches
     * the protobuf parser and validator: they must still answer only with ModelFileException or a valid model.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void damageBehindAValidChecksumNeverEscapesAsAnotherType(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] file = validFile(r);
        byte[] body = Arrays.copyOfRange(file, ModelFormat.PREFIX_BYTES, file.length);
        switch (r.nextInt(3)) {
            case 0 -> body = Arrays.copyOf(body, r.nextInt(body.length + 1));
            case 1 -> {
                int flips = r.nextInt(1, 6);
                for (int i = 0; i < flips && body.length > 0; i++) {
                    body[r.nextInt(body.length)] ^= (byte) r.nextInt(1, 256);
                }
            }
            default -> {
                if (body.length > 0) {
                    int at = r.nextInt(body.length);
                    byte[] junk = RandomModels.bytes(r, r.nextInt(1, 12));
                    System.arraycopy(junk, 0, body, at, Math.min(junk.length, body.length - at));
                }
            }
        }
        decodeOutcome(TestFiles.frame(body));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomGarbageIsRejected(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] garbage = RandomModels.bytes(r, r.nextInt(0, 200));
        decodeFailure(garbage);
        // Garbage with a correct checksum still has no tinynn header: it must be rejected after parsing.
        decodeFailure(TestFiles.frame(garbage));
    }
}
