package tinynn.serialization;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.Model;

/**
 * Writes tinynn model files: one {@code tinynn.v1.Model} protobuf message whose first field is a CRC-32C of the
 * rest (see {@code tinynn/v1/model.proto} for the byte layout); {@link ModelFileReader} reads them. The model is
 * checked against the format's invariants ({@link ModelValidator}) before a byte is written.
 */
public final class ModelFileWriter {

    private static final int IO_BUFFER = 1 << 16;

    private ModelFileWriter() {}

    /**
     * Atomically writes {@code model} to {@code file}: the bytes go to a new temporary file in the same directory,
     * are forced to disk, and the temporary file is then renamed over {@code file} (an atomic move where the file
     * system supports it, else a plain replace) and the directory is synced where the platform allows. If anything
     * fails the temporary file is deleted and an existing {@code file} is left untouched — never torn. Temporary
     * files that killed writers left next to {@code file} are removed first ({@link StaleTemps}).
     *
     * <p>The model's {@code crc32c} field is ignored (the checksum is computed here). Output is deterministic: the
     * same model always produces the same bytes.
     *
     * @throws IllegalArgumentException if the model violates the format's invariants (see {@link ModelValidator})
     * @throws ModelFileException if the file cannot be written (reason {@code IO} or {@code NOT_FOUND})
     */
    public static void write(Path file, Model model) {
        write(file, model, UnaryOperator.identity());
    }

    /**
     * As {@link #write(Path, Model)}; {@code wrap} decorates the temporary file's output stream (tests use it to
     * simulate a failure in the middle of writing).
     */
    static void write(Path file, Model model, UnaryOperator<OutputStream> wrap) {
        Model body = prepareForWrite(model);
        writeAtomically(file, ModelFormat.FILE_EXTENSION, wrap, out -> writeBody(out, body));
    }

    /** What {@link #writeAtomically} writes: the whole file's bytes to {@code out}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes the bytes of {@code body} to {@code file} as {@link #write(Path, Model)} writes a model file: a temporary
     * file in the same directory, flushed and forced to disk, renamed over {@code file}, never a torn file (other
     * formats, such as an ONNX export, use it too).
     *
     * @param extension the file name extension suggested when {@code file} is a directory, e.g. ".onnx"
     * @throws ModelFileException if the file cannot be written (reason {@code IO} or {@code NOT_FOUND})
     */
    public static void writeAtomically(Path file, String extension, Body body) {
        writeAtomically(file, extension, UnaryOperator.identity(), body);
    }

    private static void writeAtomically(Path file, String extension, UnaryOperator<OutputStream> wrap, Body body) {
        String source = file.toString();
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ModelFileException(Reason.NOT_FOUND, source, "the directory " + dir + " does not exist",
                    "create it first or choose another path");
        }
        if (Files.isDirectory(target)) {
            throw new ModelFileException(Reason.IO, source, "is a directory", "choose a file name, e.g. model"
                    + extension);
        }
        Path tmp = null;
        try {
            StaleTemps.remove(dir, target.getFileName().toString());
            tmp = createTemp(dir, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = wrap.apply(new BufferedOutputStream(Channels.newOutputStream(channel), IO_BUFFER))) {
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new ModelFileException(Reason.IO, source,
                    "cannot write (" + Causes.firstSentence(e) + ")", "check free disk space and the permissions of " + dir, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException ignored) {
                    // Best effort: the original failure is the one worth reporting.
                }
            }
        }
    }

    /**
     * Writes {@code model} as a complete model file to {@code out} (which is flushed, not closed). Use
     * {@link #write(Path, Model)} for files: this variant cannot be atomic.
     *
     * @throws IllegalArgumentException if the model violates the format's invariants
     * @throws ModelFileException (reason {@code IO}) if the stream fails
     */
    public static void write(OutputStream out, Model model) {
        Model body = prepareForWrite(model);
        try {
            writeBody(out, body);
            out.flush();
        } catch (IOException e) {
            throw new ModelFileException(Reason.IO, Causes.STREAM, "cannot write (" + Causes.firstSentence(e) + ")",
                    "check the destination", e);
        }
    }

    /** The complete file contents for {@code model}, as {@link #write(OutputStream, Model)} would write them. */
    public static byte[] toBytes(Model model) {
        Model body = prepareForWrite(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.getSerializedSize() + 5);
        try {
            writeBody(out, body);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    private static Model prepareForWrite(Model model) {
        Model body = model.toBuilder().clearCrc32C().build();
        ModelValidator.Problem p = ModelValidator.check(body);
        if (p != null) {
            throw new IllegalArgumentException("cannot write an invalid tinynn model: " + p.what());
        }
        long size = body.getSerializedSize();
        if (size < 0 || size + ModelFormat.PREFIX_BYTES > ModelFormat.HARD_MAX_BYTES) {
            throw new IllegalArgumentException("cannot write a tinynn model larger than "
                    + ModelFormat.HARD_MAX_BYTES + " bytes; the format (one protobuf message) cannot hold it");
        }
        return body;
    }

    /**
     * Writes the tag, checksum and body. The body is serialised twice (deterministically, so both passes give the
     * same bytes): once to compute the checksum, once to emit it — avoiding a second in-memory copy of the model.
     */
    private static void writeBody(OutputStream out, Model body) throws IOException {
        CRC32C crc = new CRC32C();
        OutputStream crcSink = new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
            }
        };
        serialize(crcSink, body);
        ByteBuffer prefix = ByteBuffer.allocate(ModelFormat.PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(ModelFormat.CRC_TAG).putInt((int) crc.getValue());
        out.write(prefix.array());
        serialize(out, body);
    }

    private static void serialize(OutputStream out, Model body) throws IOException {
        CodedOutputStream coded = CodedOutputStream.newInstance(out, IO_BUFFER);
        coded.useDeterministicSerialization();
        body.writeTo(coded);
        coded.flush();
    }

    /**
     * A new empty temporary file {@code .NAME.PID-RANDOM.tmp} next to the target: the writer's process id in the
     * name lets a later save tell a temporary file left by a killed writer from one still being written.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = ProcessHandle.current().pid() + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                // CREATE_NEW with default attributes: the final file gets the usual umask-derived permissions.
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // Not supported on every platform (e.g. Windows); the rename itself has already happened.
        }
    }
}
