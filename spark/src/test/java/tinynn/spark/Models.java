package tinynn.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizers;

/** The tests' model and the single-machine reference run. */
final class Models {
    private Models() {}

    static Model mlp(int features, int classes, String optimizer, double lr, long seed) {
        Model m = new Model(new Net(List.of(new Dense(features, 16), Activation.of("relu"), new Dense(16, classes))), Losses.softmaxCrossEntropy(),
                Optimizers.create(optimizer, Map.of("lr", lr)), Backends.createAndSetOjalgoThreads(Backends.DEFAULT, 1), DType.F32, seed);
        m.build(Shape.of(1, features));
        return m;
    }

    static Model copy(Model m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelCodec.find().save(m, out, false);
        return ModelCodec.find().load(new ByteArrayInputStream(out.toByteArray()), "copy", m.backend());
    }

    /**
     * Single-machine training on the global batches the cluster run uses: at each step, every partition's shard (in
     * partition order) concatenated, one trainStep on the whole.
     */
    static void trainReference(Model m, ImageDataset all, int partitions, int batch, int epochs, int classes) {
        ShardSource src = new ShardSource(List.of(), partitions, all.count());
        ShardSchedule schedule = new ShardSchedule(batch, partitions, m.parameters().seed());
        int[] sizes = src.sizes();
        int steps = schedule.steps(sizes);
        int f = all.features();
        ImageDataset ds = new ImageDataset(all.count(), all.rows(), all.cols(), all.pixels(), all.labels(), classes, all.channels());
        Tensor x = Tensor.zeros(DType.F32, Shape.of(batch, f)), y = Tensor.zeros(DType.F32, Shape.of(batch, classes));
        for (int e = 0; e < epochs; e++) {
            for (int s = 0; s < steps; s++) {
                int row = 0, offset = 0;
                for (int p = 0; p < partitions; p++) {
                    for (int i : schedule.indices(p, sizes[p], e, s)) {
                        ds.features(offset + i, offset + i + 1, x.f32(), row * f);
                        ds.oneHot(offset + i, offset + i + 1, y.f32(), row * classes);
                        row++;
                    }
                    offset += sizes[p];
                }
                m.trainStep(x, y);
            }
        }
    }

    /** The largest relative difference of a parameter tensor, ‖a − b‖₂ / ‖b‖₂, over all parameters. */
    static double maxRelativeDifference(Model a, Model b) {
        double worst = 0;
        for (var e : b.parameters().asMap().entrySet()) {
            float[] x = a.parameters().get(e.getKey()).f32(), y = e.getValue().f32();
            double d = 0, n = 0;
            for (int i = 0; i < y.length; i++) {
                d += (double) (x[i] - y[i]) * (x[i] - y[i]);
                n += (double) y[i] * y[i];
            }
            worst = Math.max(worst, Math.sqrt(d / Math.max(n, 1e-30)));
        }
        return worst;
    }
}
