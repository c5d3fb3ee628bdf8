package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/** A SIMD backend owns its worker threads, and closing it ends them: creating many backends leaks none. */
class SimdBackendLifecycleTest {

    private static Set<Thread> poolThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(Parallelism.THREAD_NAME)) out.add(t);
        }
        return out;
    }

    @Test
    void closingEndsTheWorkersOfEveryBackend() {
        Set<Thread> before = poolThreads();
        List<Backend> open = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SimdBackend b = new SimdBackend(3);
            splitOneLoop(b); // workers start with the first loop that splits
            open.add(b);
        }
        Set<Thread> started = poolThreads();
        started.removeAll(before);
        assertEquals(40 * 2, started.size(), "two workers per 3-thread backend");
        for (Backend b : open) b.close();
        for (Thread t : started) assertTrue(!t.isAlive(), t.getName() + " still alive after close");
    }

    /** A loop over more rows than the parallel threshold (as in closedBackendStillComputesOnTheCaller). */
    private static void splitOneLoop(SimdBackend b) {
        Tensor x = Tensor.zeros(DType.F32, Shape.of(300, 400)), bias = Tensor.zeros(DType.F32, Shape.of(400));
        b.biasAdd(x, bias, true, Tensor.zeros(DType.F32, x.shape()));
    }

    @Test
    void workersStartOnlyWhenALoopSplits() {
        Set<Thread> before = poolThreads();
        try (SimdBackend b = new SimdBackend(3)) {
            Set<Thread> made = poolThreads();
            made.removeAll(before);
            assertEquals(Set.of(), made, "a backend that has run no loop starts no threads");
            splitOneLoop(b);
            Set<Thread> used = poolThreads();
            used.removeAll(before);
            assertEquals(2, used.size(), "two workers for a 3-thread backend once a loop split");
        }
    }

    @Test
    void tryWithResourcesAndRepeatedCloseAreSafe() {
        Set<Thread> before = poolThreads();
        for (int i = 0; i < 100; i++) {
            try (Backend b = new SimdBackend(SimdConfig.defaults().withThreads(2).withSpinMicros(0))) {
                b.close();
            }
        }
        Set<Thread> after = poolThreads();
        after.removeAll(before);
        assertEquals(Set.of(), after);
    }

    @Test
    void closedBackendStillComputesOnTheCaller() {
        SimdBackend b = new SimdBackend(2);
        b.close();
        Tensor x = Tensor.zeros(DType.F32, Shape.of(300, 400)), bias = Tensor.zeros(DType.F32, Shape.of(400));
        for (int i = 0; i < x.size(); i++) x.set(i, i % 7 - 3);
        for (int i = 0; i < bias.size(); i++) bias.set(i, 1);
        Tensor out = Tensor.zeros(DType.F32, x.shape());
        b.biasAdd(x, bias, true, out);
        double[] want = new double[x.size()], got = new double[x.size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = Math.max(i % 7 - 2, 0);
            got[i] = out.get(i);
        }
        assertArrayEquals(want, got);
    }

    @Test
    void configIsValidated() {
        SimdConfig d = SimdConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> d.withSpinMicros(-1));
        assertThrows(IllegalArgumentException.class, () -> GemmConfig.DEFAULT.withBlocks(0, 1, 1, 0));
        SimdConfig serialScalar = d.withThreads(1).withVectorExp(false);
        try (SimdBackend b = new SimdBackend(serialScalar)) {
            assertSame(serialScalar, b.config());
            assertEquals(1, b.threads());
        }
    }
}
