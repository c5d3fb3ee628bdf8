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
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * Model averaging: a round is K local steps of each partition's own optimizer from the broadcast model, then the
 * weighted mean of parameters and optimizer state; compared with two single-machine models doing exactly that.
 */
class ModelAveragingTest {
    static JavaSparkContext sc;
    @TempDir static Path dir;
    static List<String> data;
    static ImageDataset all;
    static final int N = 200, SIDE = 6, CLASSES = 4, K = 5;

    @BeforeAll static void start() throws Exception {
        data = TestData.idx(dir, N, SIDE, 9);
        all = ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), CLASSES);
        // One task at a time: the pooled executor model trains partition 0 and then, from the broadcast, partition 1, so
        // anything it kept from partition 0 (parameters, Adam's moments) would show in the average.
        sc = Spark.local("local[1]");
    }

    @AfterAll static void stop() { if (sc != null) sc.stop(); }

    @Test void oneRoundIsTheMeanOfTwoLocalRuns() throws Exception {
        // 100 examples per partition, shards of 10: 10 local steps an epoch, 2 rounds of K = 5.
        Model cluster = Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 4);
        Model start = Models.copy(cluster);
        var settings = new ClusterTrainer.Settings(ClusterTrainer.Mode.AVERAGE, K, 20, 1, null, 1, 0, null, null, null, null);
        new ClusterTrainer(sc, cluster, settings, new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        assertEquals(10, cluster.globalStep());
        assertEquals(10, cluster.optimizer().steps());

        Model expected = Models.copy(start);
        ShardSchedule schedule = new ShardSchedule(20, 2, start.parameters().seed());
        for (int round = 0; round < 2; round++) {
            Model[] local = {Models.copy(expected), Models.copy(expected)};
            for (int p = 0; p < 2; p++) {
                ImageDataset part = all.slice(p * 100, p * 100 + 100);
                ImageDataset ds = new ImageDataset(100, SIDE, SIDE, part.pixels(), part.labels(), CLASSES, 1);
                Tensor x = Tensor.zeros(tinynn.graph.DType.F32, tinynn.graph.Shape.of(10, SIDE * SIDE));
                Tensor y = Tensor.zeros(tinynn.graph.DType.F32, tinynn.graph.Shape.of(10, CLASSES));
                for (int j = 0; j < K; j++) {
                    int[] idx = schedule.indices(p, 100, 0, round * K + j);
                    for (int i = 0; i < idx.length; i++) {
                        ds.features(idx[i], idx[i] + 1, x.f32(), i * SIDE * SIDE);
                        ds.oneHot(idx[i], idx[i] + 1, y.f32(), i * CLASSES);
                    }
                    local[p].trainStep(x, y);
                }
            }
            Model mean = Models.copy(local[0]);
            mean.parameters().asMap().forEach((name, t) -> {
                float[] a = local[0].parameters().get(name).f32(), b = local[1].parameters().get(name).f32(), out = t.f32();
                for (int i = 0; i < out.length; i++) out[i] = a[i] * 0.5f + b[i] * 0.5f;
            });
            mean.optimizer().slots().forEach((slot, byParam) -> byParam.forEach((name, t) -> {
                float[] a = local[0].optimizer().slots().get(slot).get(name).f32(), b = local[1].optimizer().slots().get(slot).get(name).f32();
                float[] out = t.f32();
                for (int i = 0; i < out.length; i++) out[i] = a[i] * 0.5f + b[i] * 0.5f;
            }));
            expected = mean;
        }
        double diff = Models.maxRelativeDifference(cluster, expected);
        assertTrue(diff < 1e-6, "parameters differ by " + diff + " (relative)");
        var m = cluster.optimizer().slots().get("m");
        var em = expected.optimizer().slots().get("m");
        for (String name : em.keySet()) {
            float[] a = m.get(name).f32(), b = em.get(name).f32();
            for (int i = 0; i < b.length; i++) assertEquals(b[i], a[i], 1e-6 * Math.max(1, Math.abs(b[i])), "Adam's m of " + name);
        }
    }
}
