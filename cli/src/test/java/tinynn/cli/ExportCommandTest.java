package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.StringStringEntryProto;

/** {@code tinynn export MODEL.tnn --format onnx -o MODEL.onnx}: a file ONNX Runtime runs to tinynn's outputs; one-line errors. */
class ExportCommandTest {
    @TempDir Path dir;

    private static Layer layer(String type, Object... kv) {
        Map<String, Object> attrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) attrs.put((String) kv[i], kv[i + 1]);
        return Layers.create(type, attrs);
    }

    /** A small LeNet-like CNN on 1×12×12 images, trained two steps so batch_norm's running statistics moved. */
    private Path cnnFile(SplittableRandom r) throws Exception {
        Model m = new Model(new Net(List.of(
                layer("conv2d", "out", 4L, "kernel", 3L, "padding", "same"), layer("batch_norm"), layer("relu"),
                layer("max_pool2d", "kernel", 2L), layer("conv2d", "out", 6L, "kernel", 3L), layer("tanh"),
                layer("avg_pool2d", "kernel", 2L), layer("flatten"), layer("dropout", "rate", 0.25),
                layer("dense", "in", 24L, "out", 10L))), Losses.softmaxCrossEntropy(), new Adam(0.01), Backends.createDefault(), DType.F32, 7);
        for (int i = 0; i < 2; i++) {
            float[] y = new float[4 * 10];
            for (int n = 0; n < 4; n++) y[n * 10 + r.nextInt(10)] = 1;
            m.trainStep(Tensor.wrap(Shape.of(4, 1, 12, 12), random(4 * 144, r)), Tensor.wrap(Shape.of(4, 10), y));
        }
        m.metadata().put("class_labels", "zero,one,two,three,four,five,six,seven,eight,nine");
        m.metadata().put("input_normalization", "scale=0.00392156862745098");
        Path file = dir.resolve("cnn.tnn");
        m.save(file);
        return file;
    }

    private static float[] random(int n, SplittableRandom r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    @Test void exportsACnnThatOnnxRuntimeRunsToTheSameLogits() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        Path tnn = cnnFile(r);
        Path onnx = dir.resolve("cnn.onnx");
        Cli.Result res = Cli.run("export", tnn.toString(), "--format", "onnx", "-o", onnx.toString());
        assertEquals(0, res.code(), res::toString);
        assertEquals("wrote " + onnx + ": ONNX opset 17, IR version 8, 9 nodes, 10 initializers; input [N, 1, 12, 12] -> output [N, 10]\n", res.out(), res::toString);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("cnn.onnx", "cnn.tnn"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(onnx));
        Map<String, String> meta = new java.util.TreeMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
        assertEquals("zero,one,two,three,four,five,six,seven,eight,nine", meta.get("class_labels"));
        assertEquals("scale=0.00392156862745098", meta.get("input_normalization"));
        assertEquals("softmax_cross_entropy", meta.get("tinynn_loss"));
        assertTrue(proto.getDocString().contains("class_labels: zero,one"), proto.getDocString());
        assertFalse(proto.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Dropout")), "dropout is removed");

        Model m = Model.load(tnn);
        for (int batch : new int[] {1, 5}) {
            float[] x = random(batch * 144, r);
            float[] ours = m.predict(Tensor.wrap(Shape.of(batch, 1, 12, 12), x.clone())).f32().clone();
            float[] theirs = ort(Files.readAllBytes(onnx), x, batch, 1, 12, 12);
            assertEquals(ours.length, theirs.length);
            for (int i = 0; i < ours.length; i++) {
                assertEquals(ours[i], theirs[i], 1e-5 * Math.max(1, Math.abs(ours[i])), "batch " + batch + " logit " + i);
            }
        }
    }

    @Test void writesNextToTheModelByDefault() throws Exception {
        Path tnn = cnnFile(new SplittableRandom(2));
        Cli.Result res = Cli.run("export", tnn.toString());
        assertEquals(0, res.code(), res::toString);
        assertTrue(Files.size(dir.resolve("cnn.onnx")) > 0);
    }

    @Test void errorsAreOneLineWithANonZeroExit() throws Exception {
        Cli.Result missing = Cli.run("export", dir.resolve("nope.tnn").toString(), "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, missing.code(), missing::toString);
        assertEquals("tinynn export: " + dir.resolve("nope.tnn") + ": no such file\n", missing.err());

        Path tnn = cnnFile(new SplittableRandom(3));
        Cli.Result format = Cli.run("export", tnn.toString(), "--format", "tflite");
        assertEquals(2, format.code(), format::toString);
        assertEquals(1, format.errLines(), format::toString);

        Cli.Result noDir = Cli.run("export", tnn.toString(), "-o", dir.resolve("no/such/dir/m.onnx").toString());
        assertEquals(1, noDir.code(), noDir::toString);
        assertEquals(1, noDir.errLines(), noDir::toString);
        assertTrue(noDir.err().contains("does not exist"), noDir::toString);

        Cli.Result self = Cli.run("export", tnn.toString(), "-o", tnn.toString());
        assertEquals(1, self.code(), self::toString);
        assertEquals("tinynn export: " + tnn + ": is the model file itself; choose another output with -o\n", self.err());
        assertTrue(Model.load(tnn).net().layers().size() == 10, "the model file is untouched");
    }

    private static float[] ort(byte[] model, float[] x, long... shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, o);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result out = s.run(Map.of("input", in))) {
                OnnxTensor t = (OnnxTensor) out.get(0);
                assertArrayEquals(new long[] {shape[0], 10}, t.getInfo().getShape());
                FloatBuffer b = t.getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                return a;
            }
        }
    }
}
