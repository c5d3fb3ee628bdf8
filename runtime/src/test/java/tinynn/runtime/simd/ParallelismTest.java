package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ParallelismTest {

    static final Parallelism THREE = Parallelism.ofThreads(3);

    @Property(tries = 200)
    void everyIndexExactlyOnce(@ForAll @IntRange(min = 0, max = 500) int n, @ForAll @IntRange(min = 1, max = 40) int minChunk,
                               @ForAll @IntRange(min = 1, max = 3) int threads) {
        Parallelism par = threads == 1 ? Parallelism.serial() : threads == 2 ? GemmTest.TWO : THREE;
        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
        AtomicInteger calls = new AtomicInteger();
        par.parallelFor(n, minChunk, (from, to) -> {
            calls.incrementAndGet();
            assertTrue(0 <= from && from < to && to <= n, from + ".." + to);
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i);
        assertTrue(calls.get() <= threads);
        if (n > 0) assertTrue(calls.get() >= 1);
    }

    @Test
    void manyBackToBackDispatches() {
        long[] sums = new long[3];
        for (int rep = 0; rep < 20_000; rep++) {
            int n = 1 + rep % 7;
            THREE.parallelFor(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    synchronized (sums) {
                        sums[0] += i;
                    }
                }
            });
            sums[1] += (long) n * (n - 1) / 2;
        }
        assertEquals(sums[1], sums[0]);
    }

    @Test
    void usesSeveralThreads() {
        java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        THREE.parallelFor(3, (from, to) -> {
            seen.add(Thread.currentThread());
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 1_000_000) Thread.onSpinWait();
        });
        assertEquals(3, seen.size());
        assertTrue(seen.contains(Thread.currentThread()), "caller runs the first chunk");
    }

    @Test
    void exceptionsPropagateAndPoolStaysUsable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> THREE.parallelFor(3, (from, to) -> {
            if (from > 0) throw new IllegalStateException("boom " + from);
        }));
        assertTrue(e.getMessage().startsWith("boom"));
        AssertionError ae = assertThrows(AssertionError.class,
                () -> THREE.parallelFor(3, (from, to) -> { throw new AssertionError("caller chunk"); }));
        assertEquals("caller chunk", ae.getMessage());
        AtomicInteger count = new AtomicInteger();
        THREE.parallelFor(30, (from, to) -> count.addAndGet(to - from));
        assertEquals(30, count.get());
    }

    @Test
    void nestedLoopsRunInline() {
        AtomicInteger count = new AtomicInteger();
        THREE.parallelFor(3, (from, to) -> THREE.parallelFor(10, (f2, t2) -> count.addAndGet(t2 - f2)));
        assertEquals(30, count.get());
    }

    @Test
    void serialAndDefaults() {
        assertEquals(1, Parallelism.serial().threads());
        assertSame(Parallelism.serial(), Parallelism.ofThreads(1));
        assertEquals(Runtime.getRuntime().availableProcessors(), SimdConfig.defaults().threads());
        assertThrows(IllegalArgumentException.class, () -> Parallelism.ofThreads(0));
        int[] seen = new int[2];
        Parallelism.serial().parallelFor(5, (from, to) -> {
            seen[0]++;
            seen[1] = to - from;
        });
        assertEquals(1, seen[0]);
        assertEquals(5, seen[1]);
    }

    @Test
    void closedPoolRunsInline() {
        Parallelism p = Parallelism.ofThreads(2);
        p.close();
        AtomicInteger calls = new AtomicInteger();
        p.parallelFor(10, (from, to) -> {
            calls.incrementAndGet();
            assertEquals(0, from);
            assertEquals(10, to);
        });
        assertEquals(1, calls.get());
    }
}
