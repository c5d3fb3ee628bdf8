package tinynn.serialization;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.Model;

/**
 * Reading and writing tinynn model files (one {@code tinynn.v1.Model} protobuf message whose first field is a
 * CRC-32C of the rest; see {@code tinynn/v1/model.proto} for the byte layout).
 *
 * <p>Readers check, in this order and before allocating anything proportional to a size read from the file:
 * the file length against a limit, the leading checksum field, the checksum, the wire format ({@link WireCheck}:
 * no length or tag beyond 32 bits or beyond its message), the protobuf encoding, the header (magic and format
 * version), the depth limits and every structural invariant ({@link ModelValidator}). Any failure is reported
 * as a {@link ModelFileException} with a one-line message naming the source, what is wrong and what to do.
 */
public final class ModelFiles {

  private static final int IO_BUFFER = 1 << 16;
  private static final String STREAM = "<stream>";

  private ModelFiles() {}

  // ---------------------------------------------------------------------------------------------- writing

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
    String source = file.toString();
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ModelFileException(Reason.NOT_FOUND, source, "the directory " + dir + " does not exist",
          "create it first or choose another path");
    }
    if (Files.isDirectory(target)) {
      throw new ModelFileException(Reason.IO, source, "is a directory", "choose a file name, e.g. model"
          + ModelFormat.FILE_EXTENSION);
    }
    Path tmp = null;
    try {
      StaleTemps.remove(dir, target.getFileName().toString());
      tmp = createTemp(dir, target.getFileName().toString());
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = wrap.apply(new BufferedOutputStream(Channels.newOutputStream(channel), IO_BUFFER))) {
        writeBody(out, body);
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
          "cannot write (" + describe(e) + ")", "check free disk space and the permissions of " + dir, e);
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
      throw new ModelFileException(Reason.IO, STREAM, "cannot write (" + describe(e) + ")",
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

  // ---------------------------------------------------------------------------------------------- reading

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
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new ModelFileException(Reason.IO, source, "the file shrank while it was being read",
              "make sure no other program is writing it, then retry");
        }
      }
    } catch (NoSuchFileException e) {
      throw new ModelFileException(Reason.NOT_FOUND, source, "no such file", "check the path", e);
    } catch (IOException e) {
      throw new ModelFileException(Reason.IO, source, "cannot read (" + describe(e) + ")",
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
    String source = sourceName == null || sourceName.isEmpty() ? STREAM : sourceName;
    long limit = clampLimit(maxBytes);
    byte[] data;
    try {
      // readNBytes grows its buffers as data arrives: memory follows the actual length, not the limit.
      data = in.readNBytes((int) limit + 1);
    } catch (IOException e) {
      throw new ModelFileException(Reason.IO, source, "cannot read (" + describe(e) + ")",
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
    String source = sourceName == null || sourceName.isEmpty() ? STREAM : sourceName;
    try {
      return decodeChecked(data, source);
    } catch (ModelFileException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // Defensive: the checks above should make this unreachable, but no other type may escape a reader.
      throw new ModelFileException(Reason.CORRUPT, source, "cannot decode (" + describe(e) + ")",
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
          "not a valid tinynn.v1.Model protobuf although its checksum matches (" + describe(e) + ")",
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
            ? "check that it is a tinynn model, or pass a larger limit to ModelFiles.read"
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

  private static String describe(Throwable e) {
    String m = e.getMessage();
    String s = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    s = s.replace('\r', ' ').replace('\n', ' ').trim();
    int sentence = s.indexOf(". ");
    if (sentence > 0) {
      s = s.substring(0, sentence); // protobuf appends long explanations after the first sentence
    } else if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
