package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.Model;

/**
 * A length prefix above 32 bits (here 2^40) is rejected, as protoc and Python reject it; protobuf-java alone
 * would read it as its low 32 bits, 0, and load the file. Files are built byte by byte.
 */
class WireLengthTest {

    @TempDir Path dir;

    private static final long TWO_TO_40 = 1L << 40;

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void tag(ByteArrayOutputStream out, int field, int wire) {
        varint(out, ((long) field << 3) | wire);
    }

    private static void string(ByteArrayOutputStream out, int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tag(out, field, 2);
        varint(out, b.length);
        out.writeBytes(b);
    }

    /** A valid model's body without its header, to which the tests append a hand-encoded one. */
    private static byte[] headerless() {
        Model m = ModelWriter.toProto(RealModels.trainedClassifier(DType.F32, 2), true);
        return m.toBuilder().clearHeader().build().toByteArray();
    }

    /** Header { magic, format_version = 1, producer: a string field whose length prefix is {@code length} }. */
    private static byte[] header(long producerLength) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        string(h, 1, ModelFormat.MAGIC);
        tag(h, 2, 0);
        varint(h, 1);
        tag(h, 3, 2);
        varint(h, producerLength);
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        tag(field, 2, 2);
        varint(field, h.size());
        field.writeBytes(h.toByteArray());
        return field.toByteArray();
    }

    private Path file(byte[]... parts) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        Path path = dir.resolve("hand.tnn");
        Files.write(path, TestFiles.frame(body.toByteArray()));
        return path;
    }

    private static String problem(Path file) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFileReader.read(file));
        assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theHandBuiltFileLoadsWithAZeroLength() throws Exception {
        Path ok = file(headerless(), header(0));
        assertEquals("", ModelFileReader.read(ok).getHeader().getProducer());
        tinynn.runtime.model.Model.load(ok, new OjalgoBackend());
    }

    @Test
    void aNestedLengthOfTwoToThe40IsRejected() throws Exception {
        Path bad = file(headerless(), header(TWO_TO_40));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFileReader.read(bad));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().startsWith(bad + ": not a valid tinynn.v1.Model protobuf although its checksum matches"
                + " (field 'header.producer' at byte "), e.getMessage());
        assertTrue(e.getMessage().contains(" claims 1099511627776 bytes, but only 0 are left)"), e.getMessage());
        assertThrows(ModelFileException.class, () -> tinynn.runtime.model.Model.load(bad, new OjalgoBackend()));
    }

    @Test
    void aTopLevelLengthOfTwoToThe40IsRejected() throws Exception {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        tag(meta, 7, 2); // metadata map entry
        varint(meta, TWO_TO_40);
        Path bad = file(headerless(), header(0), meta.toByteArray());
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFileReader.read(bad));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("field 'metadata' at byte "), e.getMessage());
    }

    @Test
    void lengthsJustBeyondTheMessageAndOverlongVarintsAreRejected() throws Exception {
        byte[] h = header(0);
        h[h.length - 1] = 1; // producer claims 1 byte, none left inside the header
        assertTrue(problem(file(headerless(), h)).contains("field 'header.producer'"));

        ByteArrayOutputStream tooLong = new ByteArrayOutputStream();
        tag(tooLong, 7, 2);
        for (int i = 0; i < 10; i++) {
            tooLong.write(0x80);
        }
        tooLong.write(0);
        assertTrue(problem(file(headerless(), header(0), tooLong.toByteArray())).contains("malformed varint"));
    }

    @Test
    void everyWellFormedFilePasses() {
        for (long seed = 0; seed < 50; seed++) {
            byte[] body = RandomModels.create(seed, seed % 2 == 0 ? tinynn.serialization.proto.DType.F32
                    : tinynn.serialization.proto.DType.F64).model().toByteArray();
            assertNull(WireCheck.problem(body, 0, body.length, Model.getDescriptor()), "seed " + seed);
        }
    }
}
