package tinynn.serialization.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tinynn.serialization.onnx.OnnxGraphs.in;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.serialization.onnx.proto.ModelProto;

/**
 * ONNX files written in the test through the onnx messages (not by our exporter) import into tinynn layers whose
 * outputs equal ONNX Runtime's within 1e-5 relative (float32).
 */
class OnnxImportTest {

    /** Runs the model in ORT and in tinynn (imported) on the same random input; returns the imported model. */
    static Model agree(ModelProto m, int... shape) {
        Random r = new Random(7);
        int n = 1;
        for (int d : shape) n *= d;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        long[] ls = new long[shape.length];
        for (int i = 0; i < shape.length; i++) ls[i] = shape[i];
        OrtRun.Result expected = OrtRun.run(m.toByteArray(), x, ls);
        Model model = OnnxImporter.fromBytes(m.toByteArray(), "test.onnx", new tinynn.runtime.simd.SimdBackend(1));
        float[] got = model.predict(Tensor.wrap(Shape.of(shape), x)).f32();
        assertClose(expected.data(), got);
        return model;
    }

    static void assertClose(float[] expected, float[] got) {
        assertEquals(expected.length, got.length, "output size");
        for (int i = 0; i < got.length; i++) {
            double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - got[i]) <= tol, "output " + i + ": ORT " + expected[i] + ", tinynn " + got[i]);
        }
    }

    @Test
    void mlpWithGemmMatMulAddAndSoftmaxMatchesOrt() {
        OnnxGraphs o = new OnnxGraphs(1);
        String h = o.node("Gemm", in("input", o.weight(0.5, 5, 4), o.weight(0.5, 5)), "transB", 1, "alpha", 0.5f, "beta", 2f);
        h = o.node("LeakyRelu", in(h), "alpha", 0.1f);
        h = o.node("MatMul", in(h, o.weight(0.5, 5, 6)));
        h = o.node("Add", in(h, o.weight(0.5, 6)));
        h = o.node("Tanh", in(h));
        h = o.node("Dropout", in(h));
        String shape = o.node("Constant", in(), "value_ints", new long[] {0, -1}); // a Constant node, folded
        h = o.node("Reshape", in(h, shape));
        h = o.node("Gemm", in(h, o.weight(0.5, 6, 3), o.weight(0.5, 1, 3)));
        String out = o.node("Softmax", in(h), "axis", -1);
        Model m = agree(o.model(out, "N", 4), 3, 4);
        assertEquals(List.of("dense", "leaky_relu", "dense", "tanh", "dense", "softmax"),
                m.net().layers().stream().map(l -> l.type()).toList());
    }

    /** torchvision's Normalize as torch.onnx writes it (Sub mean, Div std), and x·2 − 1: each one standardize layer. */
    @Test
    void scalarAffineChainsImportAsStandardize() {
        OnnxGraphs o = new OnnxGraphs(5);
        String h = o.node("Sub", in("input", o.scalar(0.1307f)));
        h = o.node("Div", in(h, o.scalar(0.3081f)));
        h = o.node("Gemm", in(h, o.weight(0.5, 4, 3), o.weight(0.5, 3)));
        h = o.node("Relu", in(h));
        h = o.node("Mul", in(h, o.scalar(2f)));
        h = o.node("Add", in(h, o.scalar(-1f)));
        String out = o.node("Gemm", in(h, o.weight(0.5, 3, 2), o.weight(0.5, 2)));
        Model m = agree(o.model(out, "N", 4), 3, 4);
        assertEquals(List.of("standardize", "dense", "relu", "standardize", "dense"), m.net().layers().stream().map(l -> l.type()).toList());
        tinynn.ops.nn.Standardize first = (tinynn.ops.nn.Standardize) m.net().layers().getFirst();
        assertEquals(0.1307f, (float) first.mean());
        assertEquals(0.3081f, (float) first.std());
        assertEquals(new tinynn.ops.nn.Standardize(0.5, 0.5), m.net().layers().get(3));
        // 1 − x scales by −1: no standardize can say that.
        OnnxGraphs neg = new OnnxGraphs(6);
        String flipped = neg.node("Sub", in(neg.scalar(1f), "input"));
        String bad = neg.node("Gemm", in(flipped, neg.weight(0.5, 4, 2), neg.weight(0.5, 2)));
        OnnxException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxException.class,
                () -> OnnxImporter.fromBytes(neg.model(bad, "N", 4).toByteArray(), "flip.onnx", new ReferenceBackend()));
        assertTrue(e.getMessage().contains("scales the activation by -1.0") && e.getMessage().startsWith("flip.onnx"), e.getMessage());
    }

    @Test
    void cnnWithPytorchFlattenPatternMatchesOrt() {
        OnnxGraphs o = new OnnxGraphs(2);
        String h = o.node("Conv", in("input", o.weight(0.4, 4, 2, 3, 3), o.weight(0.2, 4)), "pads", new long[] {1, 1, 1, 1});
        h = o.node("BatchNormalization", in(h, o.positive(4), o.weight(0.2, 4), o.weight(0.2, 4), o.positive(4)), "epsilon", 1e-3f);
        h = o.node("Relu", in(h));
        h = o.node("MaxPool", in(h), "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2});
        h = o.node("Conv", in(h, o.weight(0.4, 4, 2, 2, 2)), "group", 2, "strides", new long[] {1, 1}, "dilations", new long[] {1, 1});
        String s = o.node("Sigmoid", in(h));
        h = o.node("Mul", in(h, s)); // silu as PyTorch exports it
        h = o.node("AveragePool", in(h), "kernel_shape", new long[] {2, 2}, "strides", new long[] {1, 1}, "pads", new long[] {1, 1, 1, 1});
        h = o.viewFlat(h);
        int flat = 4 * 3 * 3;
        h = o.node("Gemm", in(h, o.weight(0.3, flat, 5), o.weight(0.3, 5)));
        String out = o.node("LogSoftmax", in(h), "axis", 1);
        Model m = agree(o.model(out, "N", 2, 6, 6), 2, 2, 6, 6);
        assertTrue(m.net().layers().stream().anyMatch(l -> l.type().equals("silu")), "Sigmoid·x imports as silu");
    }

    @Test
    void globalAveragePoolGeluAndConvTransposeMatchOrt() {
        OnnxGraphs o = new OnnxGraphs(3);
        String h = o.node("ConvTranspose", in("input", o.weight(0.4, 2, 3, 3, 3), o.weight(0.2, 3)), "strides", new long[] {2, 2},
                "pads", new long[] {1, 1, 1, 1}, "output_padding", new long[] {1, 1});
        // gelu as torch.onnx writes it: Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5
        String d = o.node("Div", in(h, o.scalar((float) Math.sqrt(2))));
        String e = o.node("Erf", in(d));
        String a = o.node("Add", in(e, o.scalar(1f)));
        String mul = o.node("Mul", in(h, a));
        h = o.node("Mul", in(mul, o.scalar(0.5f)));
        h = o.node("GlobalAveragePool", in(h));
        h = o.node("Flatten", in(h));
        h = o.node("LayerNormalization", in(h, o.positive(3), o.weight(0.1, 3)), "axis", -1);
        String out = o.node("Gemm", in(h, o.weight(0.5, 3, 2), o.weight(0.5, 2)));
        Model m = agree(o.model(out, "N", 2, 4, 4), 2, 2, 4, 4);
        assertTrue(m.net().layers().stream().anyMatch(l -> l.type().equals("gelu")), "the erf pattern imports as gelu");
    }

    @Test
    void tanhGeluWithPowAndMishMatchOrt() {
        OnnxGraphs o = new OnnxGraphs(7);
        String x = o.node("MatMul", in("input", o.weight(0.8, 3, 4)));
        // PyTorch's gelu(approximate='tanh'): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) with Pow for the cube
        String cube = o.node("Pow", in(x, o.scalar(3f)));
        String inner = o.node("Add", in(x, o.node("Mul", in(cube, o.scalar(0.044715f)))));
        String th = o.node("Tanh", in(o.node("Mul", in(inner, o.scalar((float) Math.sqrt(2 / Math.PI))))));
        String half = o.node("Mul", in(x, o.scalar(0.5f)));
        String h = o.node("Mul", in(half, o.node("Add", in(th, o.scalar(1f)))));
        String mish = o.node("Mul", in(h, o.node("Tanh", in(o.node("Softplus", in(h))))));
        Model m = agree(o.model(mish, "N", 3), 4, 3);
        assertEquals(List.of("dense", "gelu", "mish"), m.net().layers().stream().map(l -> l.type()).toList());
        assertEquals("tanh", m.net().layers().get(1).attrs().get("approximate"));
    }

    @Test
    void bidirectionalLstmThenGruMatchOrt() {
        int t = 5, f = 3, hid = 4, hid2 = 3;
        OnnxGraphs o = new OnnxGraphs(4);
        String x = o.node("Transpose", in("input"), "perm", new long[] {1, 0, 2});
        String y = "lstm_y";
        o.node("LSTM", in(x, o.weight(0.4, 2, 4 * hid, f), o.weight(0.4, 2, 4 * hid, hid), o.weight(0.3, 2, 8 * hid)),
                new String[] {y, "", ""}, "hidden_size", hid, "direction", "bidirectional");
        String h = o.node("Transpose", in(y), "perm", new long[] {2, 0, 1, 3}); // [N, T, 2, H]
        h = o.node("Reshape", in(h, o.ints(0, 0, -1)));                          // [N, T, 2H]
        h = o.node("Transpose", in(h), "perm", new long[] {1, 0, 2});
        String yh = "gru_yh";
        o.node("GRU", in(h, o.weight(0.4, 1, 3 * hid2, 2 * hid), o.weight(0.4, 1, 3 * hid2, hid2), o.weight(0.3, 1, 6 * hid2)),
                new String[] {"", yh}, "hidden_size", hid2, "linear_before_reset", 1);
        h = o.node("Squeeze", in(yh, o.ints(0)));
        String out = o.node("Gemm", in(h, o.weight(0.5, hid2, 2), o.weight(0.5, 2)));
        Model m = agree(o.model(out, "N", t, f), 3, t, f);
        assertEquals(List.of("lstm", "gru", "dense"), m.net().layers().stream().map(l -> l.type()).toList());
    }

    @Test
    void lstmWithPytorchZeroInitialStatesMatchesOrt() {
        int t = 3, f = 2, hid = 3;
        OnnxGraphs o = new OnnxGraphs(8);
        // torch.onnx's h0 = zeros(1, x.size(0), H): Shape → Gather([0]) → Concat → ConstantOfShape
        String batch = o.node("Gather", in(o.node("Shape", in("input")), o.ints(0)), "axis", 0);
        String shape = o.node("Concat", in(o.ints(1), batch, o.ints(hid)), "axis", 0);
        String zeros = o.node("ConstantOfShape", in(shape));
        String x = o.node("Transpose", in("input"), "perm", new long[] {1, 0, 2});
        o.node("LSTM", in(x, o.weight(0.5, 1, 4 * hid, f), o.weight(0.5, 1, 4 * hid, hid), o.weight(0.3, 1, 8 * hid), "", zeros, zeros),
                new String[] {"", "h"}, "hidden_size", hid);
        String out = o.node("Squeeze", in("h", o.ints(0)));
        agree(o.model(out, "N", t, f), 2, t, f);
    }

    @Test
    void int64TokenIdsThroughGatherAndGruMatchOrt() throws Exception {
        int t = 4, vocab = 7, dim = 3, hid = 2;
        OnnxGraphs o = new OnnxGraphs(9);
        String e = o.node("Gather", in(o.weight(1.0, vocab, dim), "input"), "axis", 0);
        String x = o.node("Transpose", in(e), "perm", new long[] {1, 0, 2});
        o.node("GRU", in(x, o.weight(0.5, 1, 3 * hid, dim), o.weight(0.5, 1, 3 * hid, hid), o.weight(0.3, 1, 6 * hid)),
                new String[] {"", "h"}, "hidden_size", hid, "linear_before_reset", 1);
        String out = o.node("Squeeze", in("h", o.ints(0)));
        ModelProto m = o.model(out, "N", t);
        var in = m.getGraph().getInput(0).toBuilder();
        in.getTypeBuilder().getTensorTypeBuilder().setElemType(tinynn.serialization.onnx.proto.TensorProto.DataType.INT64_VALUE);
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().setInput(0, in)).build();
        long[] ids = {0, 3, 6, 2, 5, 5, 1, 4};
        float[] expected;
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (var session = env.createSession(m.toByteArray(), new ai.onnxruntime.OrtSession.SessionOptions());
             var tensor = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids), new long[] {2, t});
             var result = session.run(java.util.Map.of("input", tensor))) {
            var b = ((ai.onnxruntime.OnnxTensor) result.get(0)).getFloatBuffer();
            expected = new float[b.remaining()];
            b.get(expected);
        }
        Model model = OnnxImporter.fromBytes(m.toByteArray(), "ids.onnx", new ReferenceBackend());
        float[] x2 = new float[ids.length];
        for (int i = 0; i < ids.length; i++) x2[i] = ids[i];
        assertClose(expected, model.predict(Tensor.wrap(Shape.of(2, t), x2)).f32());
        assertEquals(List.of("embedding", "gru"), model.net().layers().stream().map(l -> l.type()).toList());
    }

    @Test
    void rnnSequenceOutputMatchesOrt() {
        int t = 4, f = 2, hid = 3;
        OnnxGraphs o = new OnnxGraphs(5);
        String x = o.node("Transpose", in("input"), "perm", new long[] {1, 0, 2});
        o.node("RNN", in(x, o.weight(0.5, 1, hid, f), o.weight(0.5, 1, hid, hid), o.weight(0.3, 1, 2 * hid)),
                new String[] {"rnn_y"}, "hidden_size", hid, "activations", new String[] {"Tanh"});
        String h = o.node("Squeeze", in("rnn_y", o.ints(1)));                  // [T, N, H]
        String out = o.node("Transpose", in(h), "perm", new long[] {1, 0, 2}); // [N, T, H]
        agree(o.model(out, "N", t, f), 2, t, f);
    }

    @Test
    void importedModelRunsOnEveryBackendTheSame() {
        OnnxGraphs o = new OnnxGraphs(6);
        String h = o.node("Gemm", in("input", o.weight(0.5, 3, 4), o.weight(0.5, 4)));
        String out = o.node("Elu", in(h), "alpha", 0.7f);
        byte[] bytes = o.model(out, "N", 3).toByteArray();
        float[] x = {0.1f, -2f, 3f, 1f, 0.5f, -0.25f};
        float[] ref = OnnxImporter.fromBytes(bytes, "t", new ReferenceBackend()).predict(Tensor.wrap(Shape.of(2, 3), x)).f32();
        assertArrayEquals(OrtRun.run(bytes, x, 2, 3).data(), ref, 1e-5f);
    }
}
