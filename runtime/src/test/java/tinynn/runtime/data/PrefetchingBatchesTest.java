package tinynn.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;

class PrefetchingBatchesTest {
    private static final int N = 45, C = 3, H = 4, W = 4, BATCH = 8;

    private static Tensor inputs() {
        Tensor x = Tensor.zeros(DType.F32, Shape.of(N, C, H, W));
        for (int i = 0; i < x.size(); i++) x.set(i, (i * 31 % 97) + 1);
        return x;
    }

    private static Tensor targets() {
        Tensor y = Tensor.zeros(DType.F32, Shape.of(N, 10));
        for (int i = 0; i < N; i++) y.set(i * 10 + i % 10, 1);
        return y;
    }

    /** The plain loop: batches of the iterator, augmented in the caller's thread; copies, since buffers are reused. */
    private static List<float[]> plain(int epochs, long seed) {
        BatchIterator it = new BatchIterator(BATCH, true, seed);
        ImageAugmentation aug = ImageAugmentation.cropAndFlip(C, H, W, 1, seed);
        Tensor x = inputs(), y = targets();
        List<float[]> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            int epoch = it.pass();
            long position = 0;
            for (Batch b : it.over(x, y)) {
                aug.apply(b, epoch, position);
                position += b.size();
                out.add(b.inputs().f32().clone());
                out.add(b.targets().f32().clone());
            }
        }
        return out;
    }

    @Test
    void yieldsExactlyTheBatchesOfThePlainLoopEpochAfterEpoch() {
        List<float[]> got = new ArrayList<>();
        Tensor x = inputs(), y = targets();
        try (PrefetchingBatches p = new PrefetchingBatches(new BatchIterator(BATCH, true, 3), ImageAugmentation.cropAndFlip(C, H, W, 1, 3))) {
            for (int e = 0; e < 3; e++) {
                for (Batch b : p.over(x, y)) {
                    got.add(b.inputs().f32().clone());
                    got.add(b.targets().f32().clone());
                }
            }
        }
        List<float[]> want = plain(3, 3);
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) assertArrayEquals(want.get(i), got.get(i), "array " + i);
        assertEquals(3 * 6 * 2, got.size(), "45 examples in batches of 8: five full and one of 5, per epoch");
    }

    @Test
    void transformsRunOnOneOtherThreadAndTheNextBatchIsPreparedWhileTheCallerHoldsThisOne() throws Exception {
        Set<Thread> threads = Collections.newSetFromMap(new IdentityHashMap<>());
        CountDownLatch secondPrepared = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean thirdTooEarly = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger takenSoFar = new java.util.concurrent.atomic.AtomicInteger();
        BatchTransform record = (b, epoch, position) -> {
            threads.add(Thread.currentThread());
            if (position == BATCH) secondPrepared.countDown();
            // Batch 3 may only be prepared once batch 1's buffer is given back, i.e. after the caller took batch 2.
            if (position == 2 * BATCH && takenSoFar.get() < 2) thirdTooEarly.set(true);
        };
        try (PrefetchingBatches p = new PrefetchingBatches(new BatchIterator(BATCH, false, 0), record)) {
            Iterator<Batch> it = p.over(inputs(), targets()).iterator();
            Batch first = it.next();
            takenSoFar.set(1);
            float[] held = first.inputs().f32().clone();
            // Without asking for it, batch 2 gets ready while we "train" on batch 1.
            assertTrue(secondPrepared.await(30, TimeUnit.SECONDS), "the second batch was prepared ahead");
            Thread.sleep(100); // time for a worker that ran further ahead to overwrite batch 1 (a correct one waits)
            assertArrayEquals(held, first.inputs().f32(), "the batch in use is left alone");
            takenSoFar.set(2);
            Batch second = it.next();
            assertNotSame(first, second, "double buffering: the batch in use is not overwritten");
            Batch third = it.next();
            assertSame(first, third, "two buffers, reused");
            while (it.hasNext()) it.next();
        }
        assertFalse(thirdTooEarly.get(), "batch 3 was prepared while batch 1 was still in use");
        assertEquals(1, threads.size(), "one background thread: " + threads);
        assertFalse(threads.contains(Thread.currentThread()));
    }

    @Test
    void anExceptionInTheBackgroundThreadIsThrownToTheCaller() {
        BatchTransform failing = (b, epoch, position) -> {
            if (position >= 2 * BATCH) throw new IllegalArgumentException("bad batch at " + position);
        };
        try (PrefetchingBatches p = new PrefetchingBatches(new BatchIterator(BATCH, false, 0), failing)) {
            Iterator<Batch> it = p.over(inputs(), targets()).iterator();
            it.next();
            it.next();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next);
            assertEquals("bad batch at 16", e.getMessage());
        }
    }

    @Test
    void anEpochLeftEarlyIsAbandonedAndCloseStopsTheThread() throws Exception {
        Tensor x = inputs(), y = targets();
        PrefetchingBatches p = new PrefetchingBatches(new BatchIterator(BATCH, true, 9), null);
        Iterator<Batch> abandoned = p.over(x, y).iterator();
        abandoned.next();
        List<float[]> second = new ArrayList<>();
        for (Batch b : p.over(x, y)) second.add(b.inputs().f32().clone());
        BatchIterator plain = new BatchIterator(BATCH, true, 9);
        plain.over(x, y);
        int i = 0;
        for (Batch b : plain.over(x, y)) assertArrayEquals(b.inputs().f32(), second.get(i++), "second epoch unaffected");
        assertThrows(IllegalStateException.class, abandoned::next);
        p.close();
        p.close();
        assertThrows(IllegalStateException.class, () -> p.over(x, y).iterator());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().equals("tinynn-prefetch") && t.isAlive(), "prefetch thread still running");
        }
    }
}
