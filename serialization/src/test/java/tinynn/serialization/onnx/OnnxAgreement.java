package tinynn.serialization.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * Test support: a float32 model with random parameters (running statistics included, variances positive), its
 * predictions, and the same input through the exported ONNX model in ONNX Runtime, compared element by element.
 */
final class OnnxAgreement {

    /** Allowed difference: 1e-5 relative, magnitudes below 1 counted as 1 (a near-zero output has no relative scale). */
    static final double TOLERANCE = 1e-5;

    private OnnxAgreement() {}

    static Layer layer(String type, Object... kv) {
        Map<String, Object> attrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) attrs.put((String) kv[i], kv[i + 1]);
        return Layers.create(type, attrs);
    }

    /** A float32 model of {@code layers} built for {@code inputShape}, every parameter drawn from r. */
    static Model model(List<Layer> layers, Shape inputShape, SplittableRandom r) {
        Model m = new Model(new Net(layers), Losses.softmaxCrossEntropy(), new Adam(0.01), tinynn.runtime.Backends.createDefault(), DType.F32, r.nextLong());
        m.build(inputShape);
        for (Map.Entry<String, Tensor> e : m.parameters().asMap().entrySet()) {
            Tensor t = e.getValue();
            boolean variance = e.getKey().endsWith(".running_var");
            for (int i = 0; i < t.size(); i++) t.set(i, variance ? r.nextDouble(0.5, 1.5) : r.nextDouble(-1, 1));
        }
        return m;
    }

    static float[] input(Shape shape, SplittableRandom r, int ids) {
        float[] x = new float[shape.elements()];
        for (int i = 0; i < x.length; i++) x[i] = ids > 0 ? r.nextInt(ids) : (float) r.nextDouble(-2, 2);
        return x;
    }

    /** Runs x through the model and through its ONNX export in ORT; returns the largest relative difference. */
    static double check(Model m, Shape shape, float[] x) {
        Tensor ours = m.predict(Tensor.wrap(shape, x.clone()));
        byte[] onnx = OnnxExporter.export(m, "test model").toByteArray();
        long[] dims = Arrays.stream(shape.dims()).asLongStream().toArray();
        OrtRun.Result ort = OrtRun.run(onnx, x, dims);
        long[] expected = Arrays.stream(ours.shape().dims()).asLongStream().toArray();
        assertArrayEquals(expected, ort.shape(), "output shape");
        float[] a = ours.f32();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - ort.data()[i]) / Math.max(1, Math.abs(a[i]));
            if (!(diff <= TOLERANCE)) {
                throw new AssertionError("output " + i + ": tinynn " + a[i] + ", ONNX Runtime " + ort.data()[i] + " (relative difference " + diff
                        + ") for layers " + m.net().names() + " " + m.net().describe());
            }
            worst = Math.max(worst, diff);
        }
        return worst;
    }

    /** A random network's layers, input shape and vocabulary (0 unless it starts with an embedding). */
    record RandomNet(List<Layer> layers, Shape shape, int vocab) {}

    /**
     * One or two rnn/lstm/gru layers (either direction, sequences or not), maybe after an embedding; then maybe a
     * layer_norm on the sequence (when {@code layerNorm}) and a dense.
     */
    static RandomNet randomRecurrentNet(SplittableRandom r, boolean layerNorm) {
        int t = r.nextInt(1, 6), f = r.nextInt(1, 5), batch = r.nextInt(1, 4), vocab = 0;
        List<Layer> layers = new java.util.ArrayList<>();
        Shape shape;
        if (r.nextInt(3) == 0) {
            vocab = r.nextInt(2, 10);
            layers.add(layer("embedding", "vocab", (long) vocab, "dim", (long) f));
            shape = Shape.of(batch, t);
        } else {
            shape = Shape.of(batch, t, f);
        }
        int depth = r.nextInt(1, 3);
        for (int i = 0; i < depth; i++) {
            String type = List.of("rnn", "lstm", "gru").get(r.nextInt(3));
            boolean sequences = i < depth - 1 || r.nextBoolean();
            layers.add(type.equals("rnn")
                    ? layer(type, "hidden", (long) r.nextInt(1, 6), "activation", r.nextBoolean() ? "tanh" : "relu",
                            "return_sequences", sequences, "bidirectional", r.nextBoolean())
                    : layer(type, "hidden", (long) r.nextInt(1, 6), "return_sequences", sequences, "bidirectional", r.nextBoolean()));
        }
        if (layerNorm && layers.getLast() instanceof tinynn.ops.nn.Recurrent rec && rec.returnSequences() && r.nextBoolean()) {
            layers.add(r.nextBoolean() ? layer("layer_norm") : layer("layer_norm", "dims", 1L)); // all of [T, H], or each step's H
        }
        if (r.nextBoolean()) layers.add(new tinynn.ops.nn.Dense(-1, r.nextInt(1, 5)));
        return new RandomNet(layers, shape, vocab);
    }
}
