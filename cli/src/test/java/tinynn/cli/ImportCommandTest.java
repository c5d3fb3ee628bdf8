package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * tinynn import, and predict/eval/inspect reading .onnx directly; train --init-from an .onnx model fine-tunes it and
 * the result exports again to a file ONNX Runtime runs to the same outputs.
 */
class ImportCommandTest {
    @TempDir static Path dir;
    static Fixtures fx;
    static Path tnn, onnx;

    @BeforeAll static void trainAndExport() throws Exception {
        fx = Fixtures.write(dir, 400, 100);
        tnn = dir.resolve("mlp.tnn");
        onnx = dir.resolve("mlp.onnx");
        Cli.Result t = Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "16", "--epochs", "1", "--progress", "none", "--threads", "1", "-o", tnn.toString());
        assertEquals(0, t.code(), t::toString);
        Cli.Result e = Cli.run("export", tnn.toString(), "-o", onnx.toString());
        assertEquals(0, e.code(), e::toString);
    }

    @Test void importWritesAModelFileThatPredictsAsTheOriginal() throws Exception {
        Path back = dir.resolve("back.tnn");
        Cli.Result i = Cli.run("import", onnx.toString(), "-o", back.toString());
        assertEquals(0, i.code(), i::toString);
        assertTrue(i.out().startsWith("wrote " + back + ": 3 layers (dense relu dense)"), i::toString);
        Cli.Result a = Cli.run("predict", tnn.toString(), fx.png.toString(), "--top", "3");
        Cli.Result b = Cli.run("predict", back.toString(), fx.png.toString(), "--top", "3");
        Cli.Result c = Cli.run("predict", onnx.toString(), fx.png.toString(), "--top", "3");
        assertEquals(0, c.code(), c::toString);
        assertEquals(a.out(), b.out().replace(back.toString(), tnn.toString()));
        assertEquals(a.out(), c.out().replace(onnx.toString(), tnn.toString()));
    }

    @Test void evalAndInspectReadOnnxDirectly() {
        Cli.Result a = Cli.run("eval", tnn.toString(), "--images", fx.testImages.toString(), "--labels", fx.testLabels.toString());
        Cli.Result b = Cli.run("eval", onnx.toString(), "--images", fx.testImages.toString(), "--labels", fx.testLabels.toString());
        assertEquals(0, b.code(), b::toString);
        assertEquals(CommandFlowTest.number(a.out(), "accuracy[^0-9]*([0-9.]+)"), CommandFlowTest.number(b.out(), "accuracy[^0-9]*([0-9.]+)"));
        Cli.Result i = Cli.run("inspect", onnx.toString());
        assertEquals(0, i.code(), i::toString);
        assertTrue(i.out().contains("dense0") && i.out().contains("relu1") && i.out().contains("dense2"), i::toString);
    }

    @Test void fineTunedFromOnnxExportsAgainAndOnnxRuntimeAgrees() throws Exception {
        Path tuned = dir.resolve("tuned.tnn"), tunedOnnx = dir.resolve("tuned.onnx");
        Cli.Result t = Cli.run("train", "--init-from", onnx.toString(), "--train-images", fx.trainImages.toString(), "--train-labels",
                fx.trainLabels.toString(), "--epochs", "1", "--progress", "none", "--threads", "1", "--lr", "0.01", "-o", tuned.toString());
        assertEquals(0, t.code(), t::toString);
        assertTrue(t.out().contains("fine-tuning mlp.onnx"), t::toString);
        Model before = Model.load(tnn), after = Model.load(tuned);
        assertTrue(!Arrays.equals(before.parameters().get("dense0.w").f32(), after.parameters().get("dense0.w").f32()), "the weights were trained");
        Cli.Result e = Cli.run("export", tuned.toString(), "-o", tunedOnnx.toString());
        assertEquals(0, e.code(), e::toString);
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[4 * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        float[] ours = after.predict(Tensor.wrap(Shape.of(4, 784), x.clone())).f32().clone();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Files.readAllBytes(tunedOnnx), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {4, 784});
             OrtSession.Result out = s.run(Map.of("input", in))) {
            FloatBuffer b = ((OnnxTensor) out.get(0)).getFloatBuffer();
            float[] theirs = new float[b.remaining()];
            b.get(theirs);
            for (int i = 0; i < ours.length; i++) assertEquals(ours[i], theirs[i], 1e-5 * Math.max(1, Math.abs(ours[i])), "logit " + i);
        }
    }

    @Test void lenetExportedImportedAndFineTunedPredictsAsTheOriginal() throws Exception {
        Path lenet = dir.resolve("lenet.tnn"), lenetOnnx = dir.resolve("lenet.onnx"), tuned = dir.resolve("lenet-tuned.tnn");
        Cli.Result t = Cli.run("train", "--arch", "lenet5", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--epochs", "1", "--limit", "128", "--progress", "none", "--threads", "1", "-o", lenet.toString());
        assertEquals(0, t.code(), t::toString);
        assertEquals(0, Cli.run("export", lenet.toString(), "-o", lenetOnnx.toString()).code());
        Cli.Result a = Cli.run("predict", lenet.toString(), fx.png.toString(), fx.testImages.toString(), "--json", "-k", "3");
        Cli.Result b = Cli.run("predict", lenetOnnx.toString(), fx.png.toString(), fx.testImages.toString(), "--json", "-k", "3");
        assertEquals(0, b.code(), b::toString);
        assertEquals(a.out(), b.out().replace(lenetOnnx.toString(), lenet.toString()));
        Cli.Result f = Cli.run("train", "--init-from", lenetOnnx.toString(), "--train-images", fx.trainImages.toString(), "--train-labels",
                fx.trainLabels.toString(), "--epochs", "1", "--limit", "128", "--progress", "none", "--threads", "1", "-o", tuned.toString());
        assertEquals(0, f.code(), f::toString);
        Cli.Result i = Cli.run("inspect", tuned.toString());
        assertTrue(i.out().contains("conv2d0") && i.out().contains("[-1, 1, 28, 28]"), i::toString);
    }

    @Test void badOnnxFilesFailWithOneLine() throws Exception {
        byte[] full = Files.readAllBytes(onnx);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        for (String cmd : new String[] {"import", "predict", "inspect"}) {
            Cli.Result r = cmd.equals("predict") ? Cli.run(cmd, cut.toString(), fx.png.toString()) : Cli.run(cmd, cut.toString());
            assertEquals(1, r.code(), r::toString);
            assertEquals(1, r.errLines(), r::toString);
            assertTrue(r.err().contains(cut + ": not a valid ONNX model"), r::toString);
        }
        Cli.Result both = Cli.run("train", "--init-from", onnx.toString(), "--resume", tnn.toString());
        assertEquals(2, both.code(), both::toString);
        Cli.Result resume = Cli.run("train", "--resume", onnx.toString());
        assertEquals(2, resume.code(), resume::toString);
        assertTrue(resume.err().contains("an ONNX model has no training state to resume; start from its weights with --init-from"), resume::toString);
    }
}
