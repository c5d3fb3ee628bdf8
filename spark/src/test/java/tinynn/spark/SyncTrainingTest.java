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
        new ClusterTrainer(sc, cluster, sync(20, 2), new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, CLASSES).run();
        ImageDataset all = ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), CLASSES);
        Models.trainReference(single, all, 2, 20, 2, CLASSES);
        assertEquals(single.globalStep(), cluster.globalStep());
        assertEquals(2 * 10, cluster.globalStep()); // 203 examples: partitions of 102 and 101, shards of 10: 10 steps an epoch
        assertEquals(single.optimizer().steps(), cluster.optimizer().steps());
        double diff = Models.maxRelativeDifference(cluster, single);
        assertTrue(diff < 1e-5, "parameters differ by " + diff + " (relative)");
        assertTrue(Models.maxRelativeDifference(cluster, Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 11)) > 1e-2, "training changed nothing");
    }

    @Test void sgdWithMomentumAndAnUnevenSplitMatches() throws Exception {
        Model cluster = Models.mlp(SIDE * SIDE, CLASSES, "sgd", 0.1, 3);

        Model single = Models.copy(cluster);
        new ClusterTrainer(sc, cluster, sync(15, 1), new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, CLASSES).run();
        ImageDataset all = ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), CLASSES);
        Models.trainReference(single, all, 2, 15, 1, CLASSES);
        double diff = Models.maxRelativeDifference(cluster, single);
        assertTrue(diff < 1e-5, "parameters differ by " + diff + " (relative)");
    }
}
