package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Header;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Node;
import tinynn.serialization.proto.Optimizer;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;
import tinynn.serialization.proto.TrainingState;

/** Explicit malformed inputs: each must fail with ModelFileException and a precise, one-line message. */
class MalformedFilesTest {

    private static final String REEXPORT =
            "; the file was written by a faulty or incompatible program; re-export the model";

    @TempDir Path dir;

    /** Writes {@code content} to {@code name}, reads it, and returns the ModelFileException (nothing else allowed). */
    private ModelFileException readFails(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return readFails(file);
    }

    private static ModelFileException readFails(Path file) {
        try {
            ModelFileReader.read(file);
        } catch (Throwable t) {
            ModelFileException e = assertInstanceOf(ModelFileException.class, t, "only ModelFileException may escape");
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(file.toString(), e.source());
            return e;
        }
        return fail("expected " + file + " to be rejected");
    }

    private ModelFileException invalidModelFails(Model model) throws IOException {
        ModelFileException e = readFails("bad.tnn", TestFiles.frame(model));
        assertEquals(Reason.INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().endsWith(REEXPORT), e.getMessage());
        return e;
    }

    private String msg(ModelFileException e) {
        return e.getMessage().substring(dir.resolve("bad.tnn").toString().length() + 2, e.getMessage().length()
                - REEXPORT.length());
    }

    private static Model.Builder valid() {
        return Model.newBuilder().setHeader(ModelFormat.header("test"));
    }

    private static Tensor w() {
        return Tensors.f32("w", new long[] {2, 3}, new float[6]);
    }

    @Test
    void emptyFile() throws IOException {
        ModelFileException e = readFails("empty.tnn", new byte[0]);
        assertEquals(Reason.NOT_A_MODEL, e.reason());
        assertEquals(dir.resolve("empty.tnn") + ": the file is empty; re-save the model; the previous save may have"
                + " been interrupted", e.getMessage());
    }

    @Test
    void twentyBytesOfGarbage() throws IOException {
        byte[] garbage = "this is not a model!".getBytes(StandardCharsets.US_ASCII);
        assertEquals(20, garbage.length);
        ModelFileException e = readFails("garbage.tnn", garbage);
        assertEquals(Reason.NOT_A_MODEL, e.reason());
        assertEquals(dir.resolve("garbage.tnn") + ": not a tinynn model file (it does not start with the tinynn.v1"
                + " checksum field); check that the file is a tinynn model (.tnn)", e.getMessage());

        byte[] garbageWithTag = garbage.clone();
        garbageWithTag[0] = 0x0D;
        e = readFails("garbage2.tnn", garbageWithTag);
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().endsWith(": checksum mismatch (file is corrupt or truncated); re-save the model or"
                + " restore it from a backup"), e.getMessage());
    }

    @Test
    void tooShortForTheChecksum() throws IOException {
        ModelFileException e = readFails("short.tnn", new byte[] {0x0D, 1, 2});
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(": truncated (only 3 bytes)"), e.getMessage());
    }

    @Test
    void lengthPrefixClaimingTenGigabytes() throws IOException {
        // Valid header, then field 5 (parameters, wire type 2) claiming 10 GB, then 16 real bytes; checksum valid.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(valid().build().toByteArray());
        body.write(0x2A);
        writeVarint(body, 10_000_000_000L);
        body.writeBytes(new byte[16]);
        byte[] file = TestFiles.frame(body.toByteArray());
        ModelFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readFails("10g.tnn", file));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(": not a valid tinynn.v1.Model protobuf although its checksum matches ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; the writer is faulty; re-export the model"), e.getMessage());

        // The same claim in a nested message (a tensor's data inside a parameter).
        body.reset();
        body.writeBytes(valid().build().toByteArray());
        byte[] tensor = {0x0A, 1, 'w', 0x22};
        body.write(0x2A);
        writeVarint(body, tensor.length + 5 + 16);
        body.writeBytes(tensor);
        writeVarint(body, 10_000_000_000L);
        body.writeBytes(new byte[16]);
        e = readFails("10g-nested.tnn", TestFiles.frame(body.toByteArray()));
        assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
    }

    @Test
    void shapeClaimingTenGigabytesIsRejectedBeforeAnyAllocation() throws IOException {
        Tensor t = Tensor.newBuilder().setName("w").setDtype(DType.F32).setShape(Tensors.shape(50_000, 50_000))
                .setData(ByteString.copyFrom(new byte[16])).build();
        ModelFileException e = invalidModelFails(valid().addParameters(t).build());
        assertEquals("parameter 'w' has 16 data bytes but shape [50000, 50000] of F32 needs 10000000000", msg(e));

        t = t.toBuilder().setShape(Tensors.shape(1L << 40, 1L << 40)).build();
        e = invalidModelFails(valid().addParameters(t).build());
        assertEquals("parameter 'w' has shape [1099511627776, 1099511627776], whose size overflows 64 bits", msg(e));
    }

    @Test
    void sparseTenGigabyteFileIsRejectedBySize() throws IOException {
        Path file = dir.resolve("huge.tnn");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(10L * 1000 * 1000 * 1000); // sparse: no disk space used
        }
        ModelFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readFails(file));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(file + ": the file is 9.3 GiB, larger than the 1.0 GiB limit for model files; check that it is a"
                + " tinynn model, or pass a larger limit to ModelFileReader.read", e.getMessage());
    }

    @Test
    void explicitSizeLimit() throws IOException {
        Path file = dir.resolve("model.tnn");
        ModelFileWriter.write(file, valid().putMetadata("description", "x".repeat(300)).build());
        try {
            ModelFileReader.read(file, 100);
            fail("limit ignored");
        } catch (ModelFileException e) {
            assertEquals(Reason.TOO_LARGE, e.reason());
            assertTrue(e.getMessage().startsWith(file + ": the file is 3"), e.getMessage());
            assertTrue(e.getMessage().contains(" bytes, larger than the 100 bytes limit for model files;"),
                    e.getMessage());
        }
        assertEquals("x".repeat(300), ModelFileReader.read(file, 400).getMetadataOrThrow("description"));
    }

    @Test
    void endlessStreamFailsFastWithoutBufferingPastTheLimit() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0x0D;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0x0D);
                return len;
            }
        };
        ModelFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertInstanceOf(ModelFileException.class,
                        org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
                                () -> ModelFileReader.read(endless, "http://example/endless", 1 << 20))));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals("http://example/endless: the file is more than 1.0 MiB, larger than the 1.0 MiB limit for model"
                + " files; check that it is a tinynn model, or pass a larger limit to ModelFileReader.read", e.getMessage());
    }

    @Test
    void versionTooNew() throws IOException {
        Header h = ModelFormat.header("tinynn-java 9.0").toBuilder().setFormatVersion(7).build();
        ModelFileException e = readFails("v7.tnn", TestFiles.frame(Model.newBuilder().setHeader(h).build()));
        assertEquals(Reason.TOO_NEW, e.reason());
        assertEquals(dir.resolve("v7.tnn") + ": written by a newer tinynn (format 7 > 1); upgrade tinynn",
                e.getMessage());

        h = h.toBuilder().setFormatVersion(-1).build(); // uint32 4294967295
        e = readFails("vmax.tnn", TestFiles.frame(Model.newBuilder().setHeader(h).build()));
        assertTrue(e.getMessage().endsWith("written by a newer tinynn (format 4294967295 > 1); upgrade tinynn"));
    }

    @Test
    void headerProblems() throws IOException {
        Header onnx = ModelFormat.header("x").toBuilder().setMagic("onnx.model").build();
        ModelFileException e = readFails("magic.tnn", TestFiles.frame(Model.newBuilder().setHeader(onnx).build()));
        assertEquals(Reason.NOT_A_MODEL, e.reason());
        assertTrue(e.getMessage().endsWith(": header magic is 'onnx.model', expected 'tinynn.model' (not a tinynn"
                + " model file); check that the file is a tinynn model (.tnn)"), e.getMessage());

        e = readFails("noheader.tnn", TestFiles.frame(Model.newBuilder().putMetadata("a", "b").build()));
        assertEquals(Reason.NOT_A_MODEL, e.reason());
        assertTrue(e.getMessage().contains(": the file has no tinynn header (not a tinynn model file);"));

        Header v0 = ModelFormat.header("x").toBuilder().setFormatVersion(0).build();
        e = invalidModelFails(Model.newBuilder().setHeader(v0).build());
        assertEquals("the header has no format_version", msg(e));

        e = invalidModelFails(valid().setCrc32C(42).build());
        assertEquals("the checksum field appears again inside the file body", msg(e));
    }

    @Test
    void tensorByteCountDisagreesWithShape() throws IOException {
        Tensor t = w().toBuilder().setData(ByteString.copyFrom(new byte[20])).build();
        ModelFileException e = invalidModelFails(valid().addParameters(t).build());
        assertEquals("parameter 'w' has 20 data bytes but shape [2, 3] of F32 needs 24", msg(e));

        t = w().toBuilder().setDtype(DType.F64).build();
        e = invalidModelFails(valid().addParameters(t).build());
        assertEquals("parameter 'w' has 24 data bytes but shape [2, 3] of F64 needs 48", msg(e));
    }

    @Test
    void tensorProblems() throws IOException {
        assertEquals("parameter 'w' has no dtype (must be F32 or F64)",
                msg(invalidModelFails(valid().addParameters(w().toBuilder().setDtype(DType.DTYPE_UNSPECIFIED)).build())));
        assertEquals("parameter 'w' has unknown dtype 9 (written by a newer tinynn?)",
                msg(invalidModelFails(valid().addParameters(w().toBuilder().setDtypeValue(9)).build())));
        assertEquals("parameter 'w' has negative dimension -1 in shape [-1, 6]",
                msg(invalidModelFails(valid().addParameters(w().toBuilder().setShape(Tensors.shape(-1, 6))).build())));
        assertEquals("parameter 'w' appears more than once",
                msg(invalidModelFails(valid().addParameters(w()).addParameters(w()).build())));
        assertEquals("parameter #0 has no name",
                msg(invalidModelFails(valid().addParameters(w().toBuilder().setName("")).build())));
        assertEquals("parameter 'line?break' appears more than once", msg(invalidModelFails(valid()
                .addParameters(w().toBuilder().setName("line\nbreak")).addParameters(w().toBuilder().setName("line\nbreak"))
                .build())));
    }

    @Test
    void graphProblems() throws IOException {
        Node x = Node.newBuilder().setId(1).setName("x").setOp("placeholder").setShape(Tensors.shape(-1, 4)).build();
        Node relu = Node.newBuilder().setId(2).setOp("relu").addInputs(1).build();

        // Valid: -1 dims in graph shapes, ops referring to earlier nodes.
        Model ok = valid().setGraph(Graph.newBuilder().addNodes(x).addNodes(relu)
                .addInputs(Binding.newBuilder().setRole("input").setNodeId(1))
                .addOutputs(Binding.newBuilder().setRole("output").setNodeId(2))).build();
        ModelFileWriter.write(dir.resolve("ok.tnn"), ok);
        assertEquals(ok, ModelFileReader.read(dir.resolve("ok.tnn")));

        assertEquals("node 2 has input 1, which is not an earlier node (nodes must be listed in topological order)",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder().addNodes(relu).addNodes(x)).build())));
        assertEquals("node 2 has input 2, which is not an earlier node (nodes must be listed in topological order)",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder().addNodes(relu.toBuilder().setInputs(0, 2)))
                        .build())));
        assertEquals("node id 1 is used more than once",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder().addNodes(x).addNodes(x)).build())));
        assertEquals("node 1 ('x') has no op",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder().addNodes(x.toBuilder().setOp(""))).build())));
        assertEquals("node 1 ('x') has dimension -2 in its shape (only -1 = unknown may be negative)",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder()
                        .addNodes(x.toBuilder().setShape(Tensors.shape(-2)))).build())));
        assertEquals("graph output 'logits' refers to node 9, which does not exist",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder().addNodes(x)
                        .addOutputs(Binding.newBuilder().setRole("logits").setNodeId(9))).build())));
        assertEquals("graph input role 'input' appears more than once",
                msg(invalidModelFails(valid().setGraph(Graph.newBuilder().addNodes(x)
                        .addInputs(Binding.newBuilder().setRole("input").setNodeId(1))
                        .addInputs(Binding.newBuilder().setRole("input").setNodeId(1))).build())));

        // A parameter node must have its tensor, unless the file is architecture-only (no parameters at all).
        Node p = Node.newBuilder().setId(3).setName("dense/w").setOp("parameter").build();
        Model archOnly = valid().setGraph(Graph.newBuilder().addNodes(p)).build();
        ModelFileWriter.write(dir.resolve("arch.tnn"), archOnly);
        assertEquals(archOnly, ModelFileReader.read(dir.resolve("arch.tnn")));
        assertEquals("node 3 ('dense/w') is a parameter, but the file has no parameter tensor of that name",
                msg(invalidModelFails(archOnly.toBuilder().addParameters(w()).build())));
    }

    @Test
    void trainingStateProblems() throws IOException {
        Slot m = Slot.newBuilder().setParam("w").setSlot("m").setValue(w()).build();
        Model ok = valid().addParameters(w()).setTraining(TrainingState.newBuilder()
                .setOptimizer(Optimizer.newBuilder().setType("adam").addSlots(m))).build();
        ModelFileWriter.write(dir.resolve("ok.tnn"), ok);
        assertEquals(ok, ModelFileReader.read(dir.resolve("ok.tnn")));

        assertEquals("optimizer slot 'm' of parameter 'nope' refers to a parameter the file does not contain",
                msg(invalidModelFails(ok.toBuilder().setTraining(TrainingState.newBuilder().setOptimizer(
                        Optimizer.newBuilder().setType("adam").addSlots(m.toBuilder().setParam("nope")))).build())));
        assertEquals("optimizer slot 'm' of parameter 'w' appears more than once",
                msg(invalidModelFails(ok.toBuilder().setTraining(TrainingState.newBuilder().setOptimizer(
                        Optimizer.newBuilder().setType("adam").addSlots(m).addSlots(m))).build())));
        assertEquals("optimizer slot 'm' of parameter 'w' has 0 data bytes but shape [2, 3] of F32 needs 24",
                msg(invalidModelFails(ok.toBuilder().setTraining(TrainingState.newBuilder().setOptimizer(
                        Optimizer.newBuilder().setType("adam").addSlots(m.toBuilder().setValue(
                                w().toBuilder().clearData())))).build())));
        assertEquals("the optimizer has no type",
                msg(invalidModelFails(ok.toBuilder().setTraining(TrainingState.newBuilder().setOptimizer(
                        Optimizer.newBuilder())).build())));
        assertEquals("training epoch is negative (-1)",
                msg(invalidModelFails(ok.toBuilder().setTraining(TrainingState.newBuilder().setEpoch(-1)).build())));
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("missing.tnn");
        ModelFileException e = readFails(missing);
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals(missing + ": no such file; check the path", e.getMessage());

        e = readFails(dir);
        assertEquals(Reason.IO, e.reason());
        assertTrue(e.getMessage().startsWith(dir + ": cannot read ("), e.getMessage());
        assertNotNull(e.getCause());
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
