package tinynn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.data.IdxArray;
import tinynn.data.IdxReader;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.serialization.onnx.OnnxExporter;
import tinynn.serialization.onnx.proto.ModelProto;

/**
 * Issue 13's acceptance check: a trained tinynn model exported to ONNX gives ONNX Runtime the same predictions as
 * tinynn on a whole IDX test set (MNIST's 10k images). Prints, per model, the prediction mismatches and the largest
 * logit difference; exits 1 when any prediction differs.
 *
 * <pre>java -cp bench/target/benchmarks.jar tinynn.bench.OnnxParity IMAGES.idx LABELS.idx MODEL.tnn...</pre>
 */
public final class OnnxParity {
    private OnnxParity() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: OnnxParity IMAGES.idx LABELS.idx MODEL.tnn... (e.g. ~/.cache/tinynn/mnist/t10k-images-idx3-ubyte)");
            System.exit(2);
        }
        IdxArray images = IdxReader.read(Path.of(args[0])), labels = IdxReader.read(Path.of(args[1]));
        int n = images.dim(0), pixels = images.data().length / n;
        float[] x = new float[images.data().length];
        for (int i = 0; i < x.length; i++) x[i] = images.unsigned(i) / 255f;
        boolean ok = true;
        for (String file : List.of(args).subList(2, args.length)) ok &= check(Path.of(file), x, n, pixels, labels);
        System.exit(ok ? 0 : 1);
    }

    private static boolean check(Path file, float[] x, int n, int pixels, IdxArray labels) throws Exception {
        Model model = Model.load(file);
        ModelProto onnx = OnnxExporter.export(model, file.toString());
        var dims = onnx.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
        long[] example = dims.stream().skip(1).mapToLong(d -> d.getDimValue()).toArray();
        if (Arrays.stream(example).reduce(1, (a, b) -> a * b) != pixels) {
            throw new IllegalArgumentException(file + ": takes " + Arrays.toString(example) + " per example, the images have " + pixels + " pixels");
        }
        int batch = 1000, mismatches = 0, correct = 0;
        double maxDiff = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx.toByteArray(), o)) {
                for (int from = 0; from < n; from += batch) {
                    int b = Math.min(batch, n - from);
                    float[] part = Arrays.copyOfRange(x, from * pixels, (from + b) * pixels);
                    long[] shape = new long[example.length + 1];
                    shape[0] = b;
                    System.arraycopy(example, 0, shape, 1, example.length);
                    int[] ishape = Arrays.stream(shape).mapToInt(v -> (int) v).toArray();
                    float[] ours = model.predict(Tensor.wrap(new Shape(ishape), part.clone())).f32().clone();
                    float[] theirs;
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(part), shape);
                         OrtSession.Result out = session.run(Map.of("input", in))) {
                        FloatBuffer fb = ((OnnxTensor) out.get(0)).getFloatBuffer();
                        theirs = new float[fb.remaining()];
                        fb.get(theirs);
                    }
                    int classes = ours.length / b;
                    for (int r = 0; r < b; r++) {
                        int a = argmax(ours, r * classes, classes), t = argmax(theirs, r * classes, classes);
                        if (a != t) mismatches++;
                        if (a == labels.unsigned(from + r)) correct++;
                        for (int c = 0; c < classes; c++) maxDiff = Math.max(maxDiff, Math.abs(ours[r * classes + c] - theirs[r * classes + c]));
                    }
                }
            }
        }
        System.out.printf("%s: %d images, prediction mismatches tinynn vs ONNX Runtime %d, largest logit difference %.3g, tinynn test accuracy %.4f%n",
                file, n, mismatches, maxDiff, correct / (double) n);
        return mismatches == 0;
    }

    private static int argmax(float[] v, int off, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }
}
