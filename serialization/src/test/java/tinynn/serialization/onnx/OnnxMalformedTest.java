package tinynn.serialization.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tinynn.serialization.onnx.OnnxGraphs.in;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.TensorProto;

/** Malformed ONNX files: one OnnxException line naming the problem (and node), nothing allocated from declared sizes. */
class OnnxMalformedTest {

    static String fails(byte[] bytes) {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImporter.fromBytes(bytes, "bad.onnx", new ReferenceBackend()));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith("bad.onnx: "), m);
        return m;
    }

    static ModelProto mlp() {
        OnnxGraphs o = new OnnxGraphs(1);
        String h = o.node("Gemm", in("input", o.weight(0.5, 4, 3), o.weight(0.5, 3)));
        return o.model(o.node("Relu", in(h)), "N", 4);
    }

    @Test
    void truncatedFileAtEveryTenthByte(@TempDir Path dir) throws Exception {
        byte[] full = mlp().toByteArray();
        for (int cut = 1; cut < full.length; cut += Math.max(1, full.length / 10)) {
            byte[] part = Arrays.copyOf(full, cut);
            Path f = dir.resolve("cut.onnx");
            Files.write(f, part);
            OnnxException e = assertThrows(OnnxException.class, () -> OnnxImporter.read(f, new ReferenceBackend()), "cut at " + cut);
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void unsupportedOpsAreListedAllAtOnceWithNodeNames() {
        OnnxGraphs o = new OnnxGraphs(1);
        String h = o.node("Gemm", in("input", o.weight(0.5, 4, 3), o.weight(0.5, 3)));
        h = o.node("Frobnicate", in(h));
        h = o.node("Relu", in(h));
        h = o.node("Einsum", in(h), "equation", "ij->ij");
        String m = fails(o.model(o.node("Frobnicate", in(h)), "N", 4).toByteArray());
        assertTrue(m.contains("unsupported ONNX ops Einsum, Frobnicate in 3 nodes"), m);
        assertTrue(m.contains("Frobnicate (node '/Frobnicate_"), m);
        assertTrue(m.contains("Einsum (node '/Einsum_"), m);
    }

    @Test
    void missingInitializer() {
        OnnxGraphs o = new OnnxGraphs(1);
        String m = fails(o.model(o.node("Gemm", in("input", "nowhere", o.weight(0.5, 3))), "N", 4).toByteArray());
        assertTrue(m.contains("reads 'nowhere'") && m.contains("missing initializer"), m);
    }

    @Test
    void weightShapeMismatchNamesTheNode() {
        OnnxGraphs o = new OnnxGraphs(1);
        String m = fails(o.model(o.node("Gemm", in("input", o.weight(0.5, 7, 3), o.weight(0.5, 3))), "N", 4).toByteArray());
        assertTrue(m.contains("Gemm node '/Gemm_") && m.contains("[7, 3] for 4 input features"), m);
    }

    @Test
    void cycleIsRejected() {
        OnnxGraphs o = new OnnxGraphs(1);
        o.node("Relu", in("b"), new String[] {"a"}, new Object[0]);
        o.node("Relu", in("a"), new String[] {"b"}, new Object[0]);
        String m = fails(o.model("b", "N", 4).toByteArray());
        assertTrue(m.contains("cycle"), m);
    }

    @Test
    void hugeDeclaredInputDims() {
        OnnxGraphs o = new OnnxGraphs(1);
        String m = fails(o.model(o.node("Relu", in("input")), "N", 1L << 40, 1L << 40).toByteArray());
        assertTrue(m.contains("values per example"), m);
    }

    @Test
    void hugeDeclaredInitializerDimsAreCheckedBeforeAllocating() {
        OnnxGraphs o = new OnnxGraphs(1);
        o.g.addInitializer(TensorProto.newBuilder().setName("big").setDataType(1).addDims(1L << 31).addDims(1L << 31).addFloatData(1f));
        o.g.addInitializer(TensorProto.newBuilder().setName("lie").setDataType(1).addDims(1 << 27).addFloatData(1f));
        String m = fails(o.model(o.node("Gemm", in("input", "big", "lie")), "N", 4).toByteArray());
        assertTrue(m.contains("initializer 'big' declares dims"), m);
        o.g.removeInitializer(o.g.getInitializerCount() - 2);
        String m2 = fails(o.g.build().toByteArray().length > 0 ? modelWith(o) : null);
        assertTrue(m2.contains("initializer 'lie' declares 134217728 elements") && m2.contains("holds 4 bytes"), m2);
    }

    private static byte[] modelWith(OnnxGraphs o) {
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(tinynn.serialization.onnx.proto.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(o.g).build().toByteArray();
    }

    @Test
    void lengthPrefixLargerThanTheFile() {
        byte[] b = {0x08, 0x08, 0x3A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        String m = fails(b);
        assertTrue(m.contains("truncated or corrupt"), m);
    }

    @Test
    void gruWithoutLinearBeforeResetIsRejectedNamingTheNode() {
        OnnxGraphs o = new OnnxGraphs(1);
        String x = o.node("Transpose", in("input"), "perm", new long[] {1, 0, 2});
        o.node("GRU", in(x, o.weight(0.4, 1, 6, 3), o.weight(0.4, 1, 6, 2)), new String[] {"", "yh"}, "hidden_size", 2);
        String m = fails(o.model(o.node("Squeeze", in("yh", o.ints(0))), "N", 5, 3).toByteArray());
        assertTrue(m.contains("GRU node '/GRU_") && m.contains("linear_before_reset=0"), m);
    }

    @Test
    void branchingGraphIsNotAChain() {
        OnnxGraphs o = new OnnxGraphs(1);
        String a = o.node("Relu", in("input"));
        String b = o.node("Tanh", in("input"));
        String m = fails(o.model(o.node("Add", in(a, b)), "N", 4).toByteArray());
        assertTrue(m.contains("branches") || m.contains("combines"), m);
    }

    @Test
    void oldOpsetIsRejected() {
        ModelProto m = mlp().toBuilder().setOpsetImport(0, tinynn.serialization.onnx.proto.OperatorSetIdProto.newBuilder().setVersion(9)).build();
        assertEquals("bad.onnx: the model uses opset 9; tinynn imports opset 13 and later; export the model with the ops listed in docs/onnx.md (opset 13 or later)",
                fails(m.toByteArray()));
    }
}
