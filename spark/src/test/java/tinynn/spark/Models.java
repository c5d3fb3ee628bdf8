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
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizers;

/** The tests' model and the single-machine reference run. */
final class Models {
    private Models() {}

    static Model mlp(int features, int classes, String optimizer, double lr, long seed) {
        return mlp(features, classes, optimizer, lr, seed, DType.F32);
    }

    static Model mlp(int features, int classes, String optimizer, double lr, long seed, DType dtype) {
        Model m = new Model(new Net(List.of(new Dense(features, 16), Activation.of("relu"), new Dense(16, classes))), Losses.softmaxCrossEntropy(),
                Optimizers.create(optimizer, Map.of("lr", lr)), Backends.createAndSetOjalgoThreads(Backends.DEFAULT, 1), dtype, seed);
        m.build(Shape.of(1, features));
        return m;
    }

    static Model copy(Model m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelCodec.find().save(m, out, false);
        return ModelCodec.find().load(new ByteArrayInputStream(out.toByteArray()), "copy", m.backend());
    }

    /** {@link #trainReference(Model, Tensor, Tensor, int, int, int, int)} on images, as tinynn train makes them tensors. */
    static void trainReference(Model m, ImageDataset all, int partitions, int batch, int epochs, int classes) {
        ImageDataset ds = new ImageDataset(all.count(), all.rows(), all.cols(), all.pixels(), all.labels(), classes, all.channels());
        ImageTensors t = ImageTensors.of(ds, m.dtype());
        trainReference(m, t.inputs(), t.targets(), partitions, batch, 0, epochs);
    }

    /**
     * Single-machine training on the global batches the cluster run uses, from epoch {@code from} until {@code to}:
     * at each step, every partition's shard (in partition order) concatenated, one trainStep on the whole. The examples
     * are the tensors of the whole training set ([N, ...] inputs and targets) as tinynn train hands them to its Trainer.
     */
    static void trainReference(Model m, Tensor inputs, Tensor targets, int partitions, int batch, int from, int to) {
        int n = inputs.shape().dim(0);
        ShardSource src = new ShardSource(List.of(), partitions, n);
        ShardSchedule schedule = new ShardSchedule(batch, partitions, m.parameters().seed());
        int[] sizes = src.sizes();
        int steps = schedule.steps(sizes);
        Tensor x = Tensor.zeros(m.dtype(), batchOf(inputs.shape(), batch)), y = Tensor.zeros(m.dtype(), batchOf(targets.shape(), batch));
        int xw = inputs.size() / n, yw = targets.size() / n;
        for (int e = from; e < to; e++) {
            for (int s = 0; s < steps; s++) {
                int row = 0, offset = 0;
                for (int p = 0; p < partitions; p++) {
                    for (int i : schedule.indices(p, sizes[p], e, s)) {
                        for (int j = 0; j < xw; j++) x.set(row * xw + j, inputs.get((offset + i) * xw + j));
                        for (int j = 0; j < yw; j++) y.set(row * yw + j, targets.get((offset + i) * yw + j));
                        row++;
                    }
                    offset += sizes[p];
                }
                m.trainStep(x, y);
            }
        }
    }

    private static Shape batchOf(Shape all, int batch) {
        int[] dims = all.dims().clone();
        dims[0] = batch;
        return Shape.of(dims);
    }

    /** The largest relative difference of a parameter tensor, ‖a − b‖₂ / ‖b‖₂, over all parameters (either dtype, in double). */
    static double maxRelativeDifference(Model a, Model b) {
        double worst = 0;
        for (var e : b.parameters().asMap().entrySet()) {
            Tensor x = a.parameters().get(e.getKey()), y = e.getValue();
            double d = 0, n = 0;
            for (int i = 0; i < y.size(); i++) {
                d += (x.get(i) - y.get(i)) * (x.get(i) - y.get(i));
                n += y.get(i) * y.get(i);
            }
            worst = Math.max(worst, Math.sqrt(d / Math.max(n, 1e-30)));
        }
        return worst;
    }
}
