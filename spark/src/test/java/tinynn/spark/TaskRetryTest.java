package tinynn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.model.Model;

/** A task that fails on its first attempt is retried by Spark (local[2,2]: two attempts per task), and the run ends as a fault-free one. */
class TaskRetryTest {
    static JavaSparkContext sc;
    @TempDir static Path dir;
    static List<String> data;
    static final int N = 120, SIDE = 6, CLASSES = 4;
    /** Failures injected; the executors are threads of this JVM, so they count here. */
    static final AtomicInteger INJECTED = new AtomicInteger();

    @BeforeAll static void start() throws Exception {
        data = TestData.idx(dir, N, SIDE, 13);
        sc = Spark.local("local[2,2]");
        sc.setLogLevel("OFF"); // the injected failures would print their stack traces
    }

    @AfterAll static void stop() { if (sc != null) sc.stop(); }

    static Map<String, float[]> train(ClusterTrainer.Mode mode, int k, TaskHook hook) throws Exception {
        Model m = Models.mlp(SIDE * SIDE, CLASSES, "adam", 0.01, 21);
        var settings = new ClusterTrainer.Settings(mode, k, 12, 2, null, 1, 0, null, null, null, hook);
        new ClusterTrainer(sc, m, settings, new ShardSource(data, 2, N), new int[] {SIDE * SIDE}, new int[] {CLASSES}).run();
        return ClusterTrainer.values(m);
    }

    /** Fails partition 1's first attempt at step 3 (and, for averaging, at step 4). */
    static void failOnce(int partition, long step) {
        if (partition == 1 && (step == 3 || step == 4) && TaskContext.get().attemptNumber() == 0) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure of partition 1 at step " + step);
        }
    }

    @Test void syncRoundsSurviveAFailedTask() throws Exception {
        Map<String, float[]> clean = train(ClusterTrainer.Mode.SYNC, 1, null);
        int before = INJECTED.get();
        Map<String, float[]> retried = train(ClusterTrainer.Mode.SYNC, 1, TaskRetryTest::failOnce);
        assertEquals(before + 2, INJECTED.get(), "the failures were injected");
        for (String name : clean.keySet()) assertArrayEquals(clean.get(name), retried.get(name), name);
    }

    @Test void averagingRoundsSurviveAFailedTask() throws Exception {
        Map<String, float[]> clean = train(ClusterTrainer.Mode.AVERAGE, 4, null);
        int before = INJECTED.get();
        Map<String, float[]> retried = train(ClusterTrainer.Mode.AVERAGE, 4, TaskRetryTest::failOnce);
        assertEquals(before + 1, INJECTED.get(), "the failure was injected"); // rounds start at steps 0, 4, 8, ...
        for (String name : clean.keySet()) assertArrayEquals(clean.get(name), retried.get(name), name);
    }
}
