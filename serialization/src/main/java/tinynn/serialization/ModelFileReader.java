package tinynn.serialization;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.Model;

/**
 * Reads tinynn model files (one {@code tinynn.v1.Model} protobuf message whose first field is a CRC-32C of the
 * rest; see {@code tinynn/v1/model.proto} for the byte layout), as {@link ModelFileWriter} writes them.
 *
 * <p>Readers check, in this order and before allocating anything proportional to a size read from the file:
 * the file length against a limit, the leading checksum field, the checksum, the wire format ({@link WireCheck}:
 * no length or tag beyond 32 bits or beyond its message), the protobuf encoding, the header (magic and format
 * version), the depth limits and every structural invariant ({@link ModelValidator}). Any failure is reported
 * as a {@link ModelFileException} with a one-line message naming the source, what is wrong and what to do.
 */
public final class ModelFileReader {

    /** Bytes per read call when reading a file; see {@link #read(Path, long)}. */
    private static final int READ_SLICE = 1 << 16;

    private ModelFileReader() {}

    /**
     * Reads and fully validates the model file at {@code file}, accepting files up to
     * {@link ModelFormat#DEFAULT_MAX_BYTES}.
     *
     * @return the model, with {@code crc32c} = 0
     * @throws ModelFileException for every failure (missing file, I/O error, too large, corrupt, too new, invalid)
     */
    public static Model read(Path file) {
        return read(file, ModelFormat.DEFAULT_MAX_BYTES);
    }

    /**
     * As {@link #read(Path)} with an explicit size limit (at most {@link ModelFormat#HARD_MAX_BYTES}).
     *
     * @throws ModelFileException for every failure
     */
    public static Model read(Path file, long maxBytes) {
        String source = file.toString();
        long limit = clampLimit(maxBytes);
        byte[] data;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > limit) {
                throw tooLarge(source, size, limit, true);
            }
            data = new byte[(int) size];
            // In slices: a read into a heap array goes through a temporary native buffer as large as the read,
            // which for one 4 MB read doubled the memory a native predict touches (page faults are most of its
            // start-up; docs/native.md, "Start-up"). The slice's temporary buffer is reused.
            for (int off = 0; off < data.length; ) {
                int n = ch.read(ByteBuffer.wrap(data, off, Math.min(READ_SLICE, data.length - off)));
                if (n < 0) {
                    throw new ModelFileException(Reason.IO, source, "the file shrank while it was being read",
                            "make sure no other program is writing it, then retry");
                }
                off += n;
            }
        } catch (NoSuchFileException e) {
            throw new ModelFileException(Reason.NOT_FOUND, source, "no such file", "check the path", e);
        } catch (IOException e) {
            throw new ModelFileException(Reason.IO, source, "cannot read (" + Causes.firstSentence(e) + ")",
                    "check that it is a readable file", e);
        }
        return decode(data, source);
    }

    /**
     * Reads and fully validates a model from {@code in} (read to its end, not closed), accepting up to
     * {@link ModelFormat#DEFAULT_MAX_BYTES}.
     *
     * @param sourceName how to name the data in error messages, e.g. a URL or file name
     * @throws ModelFileException for every failure
     */
    public static Model read(InputStream in, String sourceName) {
        return read(in, sourceName, ModelFormat.DEFAULT_MAX_BYTES);
    }

    /**
     * As {@link #read(InputStream, String)} with an explicit size limit; at most {@code maxBytes + 1} bytes are
     * consumed, so an endless stream fails fast.
     *
     * @throws ModelFileException for every failure
     */
    public static Model read(InputStream in, String sourceName, long maxBytes) {
        String source = sourceName == null || sourceName.isEmpty() ? Causes.STREAM : sourceName;
        long limit = clampLimit(maxBytes);
        byte[] data;
        try {
            // readNBytes grows its buffers as data arrives: memory follows the actual length, not the limit.
            data = in.readNBytes((int) limit + 1);
        } catch (IOException e) {
            throw new ModelFileException(Reason.IO, source, "cannot read (" + Causes.firstSentence(e) + ")",
                    "check the source and retry", e);
        } catch (OutOfMemoryError e) {
            throw new ModelFileException(Reason.TOO_LARGE, source, "not enough memory to buffer the stream",
                    "lower the size limit or give the JVM more heap (-Xmx)");
        }
        if (data.length > limit) {
            throw tooLarge(source, data.length, limit, false);
        }
        return decode(data, source);
    }

    /**
     * Verifies and decodes complete file contents. The model's tensor bytes share {@code data} (no copy), so
     * {@code data} must not be modified afterwards.
     *
     * @throws ModelFileException for every failure
     */
    public static Model decode(byte[] data, String sourceName) {
        String source = sourceName == null || sourceName.isEmpty() ? Causes.STREAM : sourceName;
        try {
            return decodeChecked(data, source);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Defensive: the checks above should make this unreachable, but no other type may escape a reader.
            throw new ModelFileException(Reason.CORRUPT, source, "cannot decode (" + Causes.firstSentence(e) + ")",
                    "re-save the model or restore it from a backup", e);
        }
    }

    private static Model decodeChecked(byte[] data, String source) {
        if (data.length == 0) {
            throw new ModelFileException(Reason.NOT_A_MODEL, source, "the file is empty",
                    "re-save the model; the previous save may have been interrupted");
        }
        if (data[0] != ModelFormat.CRC_TAG) {
            throw new ModelFileException(Reason.NOT_A_MODEL, source,
                    "not a tinynn model file (it does not start with the tinynn.v1 checksum field)",
                    "check that the file is a tinynn model (" + ModelFormat.FILE_EXTENSION + ")");
        }
        if (data.length < ModelFormat.PREFIX_BYTES) {
            throw new ModelFileException(Reason.CORRUPT, source, "truncated (only " + data.length + " bytes)",
                    "re-save the model or restore it from a backup");
        }
        int stored = ByteBuffer.wrap(data, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        CRC32C crc = new CRC32C();
        crc.update(data, ModelFormat.PREFIX_BYTES, data.length - ModelFormat.PREFIX_BYTES);
        if ((int) crc.getValue() != stored) {
            throw new ModelFileException(Reason.CORRUPT, source, "checksum mismatch (file is corrupt or truncated)",
                    "re-save the model or restore it from a backup");
        }
        String wire = WireCheck.problem(data, ModelFormat.PREFIX_BYTES, data.length - ModelFormat.PREFIX_BYTES,
                Model.getDescriptor());
        if (wire != null) {
            throw new ModelFileException(Reason.CORRUPT, source,
                    "not a valid tinynn.v1.Model protobuf although its checksum matches (" + wire + ")",
                    "the writer is faulty; re-export the model");
        }
        Model model;
        try {
            // Tensor bytes share `data` instead of being copied: protobuf aliases only input it knows to be
            // immutable, and a CodedInputStream over a plain byte[] is not (it copied 4 MB of an MNIST model).
            CodedInputStream coded = UnsafeByteOperations.unsafeWrap(data, ModelFormat.PREFIX_BYTES,
                    data.length - ModelFormat.PREFIX_BYTES).newCodedInput();
            coded.enableAliasing(true);
            model = Model.parser().parseFrom(coded);
            coded.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFileException(Reason.CORRUPT, source,
                    "not a valid tinynn.v1.Model protobuf although its checksum matches (" + Causes.firstSentence(e) + ")",
                    "the writer is faulty; re-export the model", e);
        }
        ModelValidator.Problem p = ModelValidator.check(model);
        if (p != null) {
            throw new ModelFileException(p.reason(), source, p.what(), p.advice());
        }
        return model;
    }

    private static long clampLimit(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        return Math.min(maxBytes, ModelFormat.HARD_MAX_BYTES);
    }

    private static ModelFileException tooLarge(String source, long size, long limit, boolean exact) {
        return new ModelFileException(Reason.TOO_LARGE, source,
                "the file is " + (exact ? "" : "more than ") + humanBytes(exact ? size : limit) + ", larger than the "
                        + humanBytes(limit) + " limit for model files",
                limit < ModelFormat.HARD_MAX_BYTES
                        ? "check that it is a tinynn model, or pass a larger limit to ModelFileReader.read"
                        : "check that it is a tinynn model; larger files are not supported");
    }

    static String humanBytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
