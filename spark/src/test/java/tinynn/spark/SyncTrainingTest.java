package tinynn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.ImageDataset;
import tinynn.runtime.model.Model;

/** Synchronous data-parallel training on local[2] is single-machine training on the same global batches. */
class SyncTrainingTest {
    static JavaSparkContext sc;
    @TempDir static Path dir;
    static List<String> data;
    static final int N = 203, SIDE = 6, CLASSES = 4;

    @BeforeAll static void start() throws Exception {
        data = TestData.idx(dir, N, SIDE, 5);
        sc = Spark.local("local[2]");
    }

    @AfterAll static void stop() { if (sc != null) sc.stop(); }

    static ClusterTrainer.Settings sync(int batch, int epochs) {
        return new ClusterTrainer.Settings(ClusterTrainer.Mode.SYNC, 1, batch, epochs, null, 1, 0, null, null, null, null);
    }

    @Test void adamMatchesSingleMachineWithTheSameGlobalBatches() throws Exception {
        Model cluster = Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 11);
        Model single = Models.copy(cluster);
        new ClusterTrainer(sc, cluster, sync(20, 2), new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        ImageDataset all = ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), CLASSES);
        Models.trainReference(single, all, 2, 20, 2, CLASSES);
        assertEquals(single.globalStep(), cluster.globalStep());
        assertEquals(2 * 10, cluster.globalStep()); // 203 examples: partitions of 102 and 101, shards of 10: 10 steps an epoch
        assertEquals(single.optimizer().steps(), cluster.optimizer().steps());
        double diff = Models.maxRelativeDifference(cluster, single);
        assertTrue(diff < 1e-5, "parameters differ by " + diff + " (relative)");
        assertTrue(Models.maxRelativeDifference(cluster, Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 11)) > 1e-2, "training changed nothing");
    }

    /**
     * Batch norm: each shard normalises with its own batch statistics and moves the running statistics as a step on it
     * would; the driver takes their weighted mean. With plain SGD one synchronous step is then exactly the mean of two
     * single-machine steps, one on each shard (the update is linear in the gradient), running statistics included.
     */
    @Test void batchNormStateIsTheShardsMean() throws Exception {
        Path small = java.nio.file.Files.createDirectories(dir.resolve("small"));
        List<String> twenty = TestData.idx(small, 20, SIDE, 8); // partitions of 10, shards of 10: one step
        Model cluster = new Model(new tinynn.runtime.model.Net(List.of(new tinynn.ops.nn.Dense(SIDE * SIDE, 8),
                tinynn.ops.nn.Layers.create("batch_norm", java.util.Map.of()), tinynn.ops.nn.Activation.of("relu"),
                new tinynn.ops.nn.Dense(8, CLASSES))), tinynn.ops.loss.Losses.softmaxCrossEntropy(),
                tinynn.runtime.optim.Optimizers.create("sgd", java.util.Map.of("lr", 0.5)),
                tinynn.runtime.Backends.createAndSetOjalgoThreads(tinynn.runtime.Backends.DEFAULT, 1), tinynn.graph.DType.F32, 2);
        cluster.build(tinynn.graph.Shape.of(1, SIDE * SIDE));
        Model[] local = {Models.copy(cluster), Models.copy(cluster)};
        new ClusterTrainer(sc, cluster, sync(20, 1), new ShardSource(twenty, 2, 20), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        ImageDataset all = ImageDataset.load(Path.of(twenty.get(1)), Path.of(twenty.get(3)), CLASSES);
        for (int p = 0; p < 2; p++) Models.trainReference(local[p], all.slice(p * 10, p * 10 + 10), 1, 10, 1, CLASSES);
        Model expected = Models.copy(local[0]);
        boolean hasState = false;
        for (var e : expected.parameters().asMap().entrySet()) {
            float[] a = local[0].parameters().get(e.getKey()).f32(), b = local[1].parameters().get(e.getKey()).f32(), out = e.getValue().f32();
            for (int i = 0; i < out.length; i++) out[i] = a[i] * 0.5f + b[i] * 0.5f;
            hasState |= !expected.parameters().trainable(e.getKey());
        }
        assertTrue(hasState, "batch norm has running statistics");
        for (var e : expected.parameters().asMap().entrySet()) {
            float[] want = e.getValue().f32(), got = cluster.parameters().get(e.getKey()).f32();
            double d = 0, n = 0;
            for (int i = 0; i < want.length; i++) {
                d += (double) (got[i] - want[i]) * (got[i] - want[i]);
                n += (double) want[i] * want[i];
            }
            if (Math.sqrt(n) < 1e-5) {
                // The bias before batch norm: normalising cancels it, so its gradient is zero up to rounding, on both sides.
                assertTrue(Math.sqrt(d) < 1e-5, e.getKey() + " moved by " + Math.sqrt(d));
            } else {
                assertTrue(Math.sqrt(d / n) < 1e-5, e.getKey() + " differs by " + Math.sqrt(d / n) + " (relative)");
            }
        }
    }

    @Test void sgdWithAnUnevenSplitMatches() throws Exception {
        Model cluster = Models.mlp(SIDE * SIDE, CLASSES, "sgd", 0.1, 3);

        Model single = Models.copy(cluster);
        new ClusterTrainer(sc, cluster, sync(15, 1), new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        ImageDataset all = ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), CLASSES);
        Models.trainReference(single, all, 2, 15, 1, CLASSES);
        double diff = Models.maxRelativeDifference(cluster, single);
        assertTrue(diff < 1e-5, "parameters differ by " + diff + " (relative)");
    }
}
