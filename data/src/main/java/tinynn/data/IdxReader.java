package tinynn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the MNIST format), plain or gzip-compressed.
 *
 * <p>Compression is detected from the gzip magic bytes, not the file name, because downloaded
 * files are often renamed or decompressed by tools along the way.
 *
 * <p>The header is never trusted for allocation: a plain file's length is compared with the
 * header before the payload array is created, and a compressed stream is read into a buffer that
 * only grows as data really arrives. A corrupt header therefore fails fast instead of exhausting
 * the heap.
 */
public final class IdxReader {
    /** The largest array HotSpot reliably allocates. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    static final String REFETCH = "re-download it (for MNIST: 'tinynn data mnist')";

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_RANK = 4;

    private IdxReader() {}

    /** Reads {@code file}; format problems become a {@link DataException} naming the file. */
    public static IdxArray read(Path file) throws IOException {
        String name = file.toString();
        long size;
        InputStream raw;
        try {
            size = Files.size(file);
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such file; download it first (for MNIST: 'tinynn data mnist')");
        }
        try (InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            return Streams.startsWithGzipMagic(in) ? readGzip(in, name) : parse(in, name, size, "file");
        }
    }

    /**
     * Reads an IDX array from a stream of unknown length (gzip detected as for files). {@code name}
     * only labels error messages. The stream is consumed to its end (trailing data is an error) but
     * not closed.
     */
    public static IdxArray read(InputStream stream, String name) throws IOException {
        InputStream in = stream.markSupported() ? stream : new BufferedInputStream(stream, 1 << 16);
        return Streams.startsWithGzipMagic(in) ? readGzip(in, name) : parse(in, name, -1, "stream");
    }

    private static IdxArray readGzip(InputStream in, String name) throws IOException {
        try {
            return parse(new GZIPInputStream(in, 1 << 16), name, -1, "decompressed data");
        } catch (ZipException | EOFException e) {
            throw fail(name, "corrupt or truncated gzip data (" + e.getMessage() + "); " + REFETCH);
        }
    }

    /**
     * @param knownSize total length if known up front (plain files), else -1
     * @param what how to call the input in messages ("file", "decompressed data", ...)
     */
    private static IdxArray parse(InputStream in, String name, long knownSize, String what) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw fail(name, "not an IDX file: " + what + " has only " + magic.length
                    + " bytes, fewer than the 4-byte magic number; " + REFETCH);
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw fail(name, String.format("not an IDX file: starts with 0x%02x 0x%02x, expected 0x00 0x00; %s",
                    magic[0] & 0xFF, magic[1] & 0xFF, REFETCH));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw fail(name, "IDX element type " + typeName(type)
                    + " is not supported; tinynn reads only 0x08 (unsigned byte) files");
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw fail(name, "IDX header declares " + rank + " dimensions; tinynn reads 1 to " + MAX_RANK
                    + " (is this really an IDX file?)");
        }
        int headerBytes = 4 + 4 * rank;
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw fail(name, "truncated header: " + rank + " dimensions need " + headerBytes + " bytes but "
                    + what + " has " + (4 + dimBytes.length) + "; " + REFETCH);
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            // IDX sizes are unsigned 32-bit; anything >= 2^31 reads negative here and is rejected too.
            dims[i] = ByteBuffer.wrap(dimBytes).getInt(4 * i);
            if (dims[i] <= 0) {
                throw fail(name, "dimension " + (i + 1) + " of " + rank + " is " + Integer.toUnsignedString(dims[i])
                        + (dims[i] < 0 ? " (too large)" : "") + "; IDX sizes must be between 1 and 2^31-1");
            }
            // Cannot overflow: elements <= MAX_ELEMENTS < 2^31 before each step.
            elements = elements > MAX_ELEMENTS ? elements : elements * dims[i];
        }
        if (elements > MAX_ELEMENTS) {
            throw fail(name, "header says " + IdxArray.shape(dims) + " elements, more than the " + MAX_ELEMENTS
                    + " a Java array can hold; the header is corrupt or the file is too large for tinynn");
        }
        long expected = headerBytes + elements;
        if (knownSize >= 0 && knownSize < expected) {
            throw truncated(name, dims, expected, knownSize, what);
        }
        if (knownSize > expected) {
            throw trailing(name, dims, expected, what + " has " + knownSize + " bytes");
        }
        byte[] data = Streams.readUpTo(in, (int) elements);
        if (data.length < elements) {
            throw truncated(name, dims, expected, headerBytes + (long) data.length, what);
        }
        if (in.read() != -1) {
            throw trailing(name, dims, expected, what + " continues past that");
        }
        return new IdxArray(dims, data);
    }

    private static DataException truncated(String name, int[] dims, long expected, long actual, String what) {
        return fail(name, "truncated: header says " + IdxArray.shape(dims) + " (" + expected + " bytes) but "
                + what + " has " + actual + " bytes; " + REFETCH);
    }

    private static DataException trailing(String name, int[] dims, long expected, String actual) {
        return fail(name, "unexpected trailing bytes: header says " + IdxArray.shape(dims) + " (" + expected
                + " bytes) but " + actual + "; " + REFETCH);
    }

    private static String typeName(int type) {
        String kind = switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit int";
            case 0x0C -> "32-bit int";
            case 0x0D -> "32-bit float";
            case 0x0E -> "64-bit float";
            default -> "unknown";
        };
        return String.format("0x%02x (%s)", type, kind);
    }

    private static DataException fail(String name, String problem) {
        return new DataException(name + ": " + problem);
    }
}
