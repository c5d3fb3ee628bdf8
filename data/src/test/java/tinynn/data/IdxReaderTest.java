package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final String HINT = "; re-download it (for MNIST: 'tinynn data mnist')";

    @TempDir
    Path tmp;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    private DataException failure(String name, byte[] content) throws IOException {
        Path file = write(name, content);
        return assertThrows(DataException.class, () -> IdxReader.read(file));
    }

    @Test
    void plainFileRoundTripsExactBytes() throws IOException {
        byte[] payload = Fixtures.counting(3 * 2 * 4);
        IdxArray array = IdxReader.read(write("images", Fixtures.ubyte(new int[] {3, 2, 4}, payload)));
        assertArrayEquals(new int[] {3, 2, 4}, array.dims());
        assertArrayEquals(payload, array.data());
        assertEquals("3x2x4", array.shape());
        assertEquals(payload[5] & 0xFF, array.unsigned(5));
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        byte[] payload = Fixtures.counting(7);
        byte[] plain = Fixtures.ubyte(new int[] {7}, payload);
        // compressed without a .gz suffix, and plain with one: both must read the same
        IdxArray fromGzip = IdxReader.read(write("labels-idx1-ubyte", Fixtures.gzip(plain)));
        IdxArray fromPlain = IdxReader.read(write("labels-idx1-ubyte.gz", plain));
        assertArrayEquals(payload, fromGzip.data());
        assertEquals(fromPlain, fromGzip);
    }

    @Test
    void truncatedPlainFileSaysHowMuchIsMissing() throws IOException {
        Path file = write("train-images-idx3-ubyte", Arrays.copyOf(Fixtures.ubyte(new int[] {3, 2, 2}, new byte[12]), 20));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file));
        assertEquals(file + ": truncated: header says 3x2x2 (28 bytes) but file has 20 bytes" + HINT, e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        byte[] plain = Arrays.copyOf(Fixtures.ubyte(new int[] {3, 2, 2}, new byte[12]), 20);
        DataException e = failure("t.gz", Fixtures.gzip(plain));
        assertTrue(e.getMessage().endsWith(
                "t.gz: truncated: header says 3x2x2 (28 bytes) but decompressed data has 20 bytes" + HINT),
                e.getMessage());
    }

    @Test
    void cutGzipContainerIsReportedAsCorrupt() throws IOException {
        byte[] gz = Fixtures.gzip(Fixtures.ubyte(new int[] {100}, Fixtures.counting(100)));
        DataException e = failure("cut.gz", Arrays.copyOf(gz, gz.length - 12));
        assertTrue(e.getMessage().contains("cut.gz: corrupt or truncated gzip data ("), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] good = Fixtures.ubyte(new int[] {2, 2}, new byte[4]);
        Path file = write("extra", Fixtures.concat(good, new byte[] {1, 2, 3}));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file));
        assertEquals(file + ": unexpected trailing bytes: header says 2x2 (16 bytes) but file has 19 bytes" + HINT,
                e.getMessage());
    }

    @Test
    void trailingBytesInsideGzipAreRejected() throws IOException {
        byte[] good = Fixtures.ubyte(new int[] {2, 2}, new byte[4]);
        DataException e = failure("extra.gz", Fixtures.gzip(Fixtures.concat(good, new byte[] {9})));
        assertTrue(e.getMessage().contains(
                "unexpected trailing bytes: header says 2x2 (16 bytes) but decompressed data continues past that"),
                e.getMessage());
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        byte[] bytes = Fixtures.ubyte(new int[] {4}, new byte[4]);
        bytes[0] = 0x50;
        bytes[1] = 0x4b;
        DataException e = failure("zip", bytes);
        assertTrue(e.getMessage().endsWith("zip: not an IDX file: starts with 0x50 0x4b, expected 0x00 0x00" + HINT),
                e.getMessage());
    }

    @Test
    void emptyFileIsNotAnIdxFile() throws IOException {
        DataException e = failure("empty", new byte[0]);
        assertTrue(e.getMessage().contains("empty: not an IDX file: file has only 0 bytes"), e.getMessage());
    }

    @Test
    void nonByteElementTypesAreRejectedByName() throws IOException {
        DataException e = failure("floats", Fixtures.idx(0x0D, new int[] {1}, new byte[4]));
        assertTrue(e.getMessage().endsWith(
                "floats: IDX element type 0x0d (32-bit float) is not supported; tinynn reads only 0x08 (unsigned byte) files"),
                e.getMessage());
        DataException unknown = failure("weird", Fixtures.idx(0x42, new int[] {1}, new byte[1]));
        assertTrue(unknown.getMessage().contains("element type 0x42 (unknown)"), unknown.getMessage());
    }

    @Test
    void dimensionCountMustBeOneToFour() throws IOException {
        DataException none = failure("rank0", Fixtures.idx(0x08, new int[0], new byte[1]));
        assertTrue(none.getMessage().contains("rank0: IDX header declares 0 dimensions; tinynn reads 1 to 4"),
                none.getMessage());
        DataException five = failure("rank5", Fixtures.idx(0x08, new int[] {1, 1, 1, 1, 1}, new byte[1]));
        assertTrue(five.getMessage().contains("declares 5 dimensions"), five.getMessage());
    }

    @Test
    void zeroAndNegativeDimensionsAreRejected() throws IOException {
        DataException zero = failure("zero", Fixtures.ubyte(new int[] {2, 0}, new byte[0]));
        assertTrue(zero.getMessage().endsWith(
                "zero: dimension 2 of 2 is 0; IDX sizes must be between 1 and 2^31-1"), zero.getMessage());
        DataException negative = failure("neg", Fixtures.ubyte(new int[] {-1}, new byte[0]));
        assertTrue(negative.getMessage().endsWith(
                "neg: dimension 1 of 1 is 4294967295 (too large); IDX sizes must be between 1 and 2^31-1"),
                negative.getMessage());
    }

    @Test
    void headerCutShortIsReported() throws IOException {
        byte[] bytes = Arrays.copyOf(Fixtures.ubyte(new int[] {5, 5, 5}, new byte[0]), 9);
        DataException e = failure("short", bytes);
        assertTrue(e.getMessage().contains("truncated header: 3 dimensions need 16 bytes but file has 9"),
                e.getMessage());
    }

    @Test
    void productTooLargeForAnArrayIsRejected() throws IOException {
        DataException e = failure("huge", Fixtures.ubyte(new int[] {100_000, 100_000, 100_000}, new byte[0]));
        assertTrue(e.getMessage().endsWith("huge: header says 100000x100000x100000 elements, more than the "
                + IdxReader.MAX_ELEMENTS + " a Java array can hold; the header is corrupt or the file is too large"
                + " for tinynn"), e.getMessage());
    }

    @Test
    void lyingHeaderOnTinyFileFailsWithoutAllocatingItsClaim() throws IOException {
        // 10^9 elements claimed by a 20-byte file: must be refused before a 1 GB array exists
        byte[] bytes = Fixtures.ubyte(new int[] {1000, 1000, 1000}, new byte[4]);
        assertEquals(20, bytes.length);
        Path plain = write("liar", bytes);
        Path gz = write("liar.gz", Fixtures.gzip(bytes));
        long before = Fixtures.allocatedBytes();
        DataException e1 = assertThrows(DataException.class, () -> IdxReader.read(plain));
        DataException e2 = assertThrows(DataException.class, () -> IdxReader.read(gz));
        long allocated = Fixtures.allocatedBytes() - before;
        assertTrue(allocated < 8_000_000, "allocated " + allocated + " bytes");
        assertEquals(plain + ": truncated: header says 1000x1000x1000 (1000000016 bytes) but file has 20 bytes" + HINT,
                e1.getMessage());
        assertTrue(e2.getMessage().contains("(1000000016 bytes) but decompressed data has 20 bytes"), e2.getMessage());
    }

    @Test
    void missingFileHasAFriendlyMessage() {
        Path file = tmp.resolve("nope");
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file));
        assertEquals(file + ": no such file; download it first (for MNIST: 'tinynn data mnist')", e.getMessage());
    }

    @Test
    void streamsAreReadAndCheckedLikeFiles() throws IOException {
        byte[] payload = Fixtures.counting(6);
        byte[] plain = Fixtures.ubyte(new int[] {2, 3}, payload);
        assertArrayEquals(payload, IdxReader.read(new ByteArrayInputStream(plain), "s").data());
        assertArrayEquals(payload, IdxReader.read(new ByteArrayInputStream(Fixtures.gzip(plain)), "s").data());
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(
                new ByteArrayInputStream(Fixtures.concat(plain, new byte[1])), "net"));
        assertTrue(e.getMessage().startsWith("net: unexpected trailing bytes"), e.getMessage());
    }

    @Property(tries = 60)
    void anyValidArrayRoundTrips(@ForAll("arrays") IdxArray array, @ForAll boolean compress) throws IOException {
        byte[] bytes = Fixtures.ubyte(array.dims(), array.data());
        Path file = Files.createTempFile("prop", ".idx");
        try {
            Files.write(file, compress ? Fixtures.gzip(bytes) : bytes);
            assertEquals(array, IdxReader.read(file));
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 60)
    void anyCutOfAValidFileIsRejected(@ForAll("arrays") IdxArray array, @ForAll("fractions") double keep)
            throws IOException {
        byte[] bytes = Fixtures.ubyte(array.dims(), array.data());
        byte[] cut = Arrays.copyOf(bytes, (int) (keep * (bytes.length - 1)));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(new ByteArrayInputStream(cut), "cut"));
        assertTrue(e.getMessage().startsWith("cut: "), e.getMessage());
    }

    @Provide
    Arbitrary<IdxArray> arrays() {
        return Arbitraries.integers().between(1, 6).array(int[].class).ofMinSize(1).ofMaxSize(4)
                .flatMap(dims -> {
                    int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
                    return Arbitraries.bytes().array(byte[].class).ofSize(n).map(data -> new IdxArray(dims, data));
                });
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

}
