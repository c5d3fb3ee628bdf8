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
import tinynn.graph.DType;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * f64 models on the cluster: parameters, gradients and optimizer state travel, add and average in double, so cluster
 * training equals single-machine f64 training far below float rounding (any float on the way would show as ~1e-7).
 */
class F64TrainingTest {
    static JavaSparkContext sc;
    @TempDir static Path dir;
    static List<String> data;
    static ImageDataset all;
    static final int N = 203, SIDE = 6, CLASSES = 4;
    /** Float rounding of the parameters once is about 6e-8 relative; f64 summation order differs by about 1e-16 a step. */
    static final double F64_TOLERANCE = 1e-10;

    @BeforeAll static void start() throws Exception {
        data = TestData.idx(dir, N, SIDE, 5);
        all = ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), CLASSES);
        sc = Spark.local("local[2]");
    }

    @AfterAll static void stop() { if (sc != null) sc.stop(); }

    @Test void syncRoundsEqualSingleMachineF64Training() throws Exception {
        Model cluster = Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 11, DType.F64);
        Model single = Models.copy(cluster);
        var settings = new ClusterTrainer.Settings(ClusterTrainer.Mode.SYNC, 1, 20, 2, null, 1, 0, null, null, null, null);
        new ClusterTrainer(sc, cluster, settings, new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        Models.trainReference(single, all, 2, 20, 2, CLASSES);
        assertEquals(DType.F64, cluster.dtype());
        assertEquals(20, cluster.globalStep());
        double diff = Models.maxRelativeDifference(cluster, single);
        assertTrue(diff < F64_TOLERANCE, "parameters differ by " + diff + " (relative)");
        assertTrue(Models.maxRelativeDifference(cluster, Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 11, DType.F64)) > 1e-2, "training changed nothing");
    }

    /**
     * One partition averaging rounds of K local steps is single-machine training on its shards, provided the optimizer
     * state (Adam's moments) goes to the executor and back in double each round.
     */
    @Test void averagingRoundsKeepTheOptimizerStateInDouble() throws Exception {
        Model cluster = Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 4, DType.F64);
        Model single = Models.copy(cluster);
        // 203 examples, shards of 10: 20 local steps an epoch, 4 rounds of K = 5.
        var settings = new ClusterTrainer.Settings(ClusterTrainer.Mode.AVERAGE, 5, 10, 1, null, 1, 0, null, null, null, null);
        new ClusterTrainer(sc, cluster, settings, new ShardSource(data, 1, N), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        Models.trainReference(single, all, 1, 10, 1, CLASSES);
        assertEquals(20, cluster.optimizer().steps());
        double diff = Models.maxRelativeDifference(cluster, single);
        assertTrue(diff < F64_TOLERANCE, "parameters differ by " + diff + " (relative)");
        var m = cluster.optimizer().slots().get("v");
        for (var e : single.optimizer().slots().get("v").entrySet()) {
            Tensor want = e.getValue(), got = m.get(e.getKey());
            assertTrue(got.dtype() == DType.F64, "Adam's v of " + e.getKey() + " is " + got.dtype());
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i), got.get(i), F64_TOLERANCE * Math.max(1e-6, Math.abs(want.get(i))), "Adam's v of " + e.getKey());
            }
        }
    }
}
