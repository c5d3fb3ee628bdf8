package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The meter behind {@code bench --steps}: every thread's bytes count, and a window that loses some is refused. */
class AllocationMeterTest {

    static final int MIB = 1 << 20;
    /** Keeps allocations from being optimised away. */
    static volatile Object sink;

    @Test void theCallersAllocationsCount() {
        AllocationMeter.Bytes b = counted(new AllocationMeter(), () -> sink = new byte[MIB]);
        assertTrue(b.caller() >= MIB && b.caller() < 2 * MIB, () -> "caller " + b);
    }

    @Test void anotherThreadsAllocationsCount() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1), done = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            await(go);
            sink = new byte[4 * MIB];
            done.countDown();
            await(release);   // alive until the window is closed: a thread that ends inside it voids the count
        });
        worker.start();
        AllocationMeter meter = new AllocationMeter();
        quiet(meter);
        meter.start();
        go.countDown();
        done.await();
        AllocationMeter.Bytes b = meter.stop();
        release.countDown();
        assertNotNull(b, meter::lost);
        worker.join();
        assertTrue(b.others() >= 4 * MIB, () -> "the worker's 4 MiB are missing: " + b);
        assertTrue(b.caller() < MIB, () -> "the worker's bytes counted as the caller's: " + b);
    }

    @Test void aThreadStartedInsideTheWindowCountsWhole() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            sink = new byte[4 * MIB];
            done.countDown();
            await(release);
        });
        AllocationMeter meter = new AllocationMeter();
        quiet(meter);
        meter.start();
        worker.start();
        done.await();
        AllocationMeter.Bytes b = meter.stop();
        release.countDown();
        assertNotNull(b, meter::lost);
        worker.join();
        assertTrue(b.others() >= 4 * MIB, () -> "the new thread's 4 MiB are missing: " + b);
    }

    @Test void aThreadThatEndsInsideTheWindowVoidsIt() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            await(go);
            sink = new byte[MIB];
        });
        worker.start();
        AllocationMeter meter = new AllocationMeter();
        quiet(meter);
        meter.start();
        go.countDown();
        worker.join();
        assertNull(meter.stop(), "a window that lost a thread's bytes");
        assertTrue(meter.lost().contains("'" + worker.getName() + "'"), meter::lost);

        Thread brief = new Thread(() -> sink = new byte[MIB]);
        quiet(meter);
        meter.start();
        brief.start();
        brief.join();
        assertNull(meter.stop(), "a window in which a thread started and ended");
        assertEquals("1 thread(s) started and ended", meter.lost());
    }

    /** Bytes of a window around {@code r}, measuring again while threads of earlier tests' pools end. */
    private static AllocationMeter.Bytes counted(AllocationMeter meter, Runnable r) {
        for (int i = 0; i < 100; i++) {
            meter.start();
            r.run();
            AllocationMeter.Bytes b = meter.stop();
            if (b != null) return b;
        }
        throw new AssertionError("100 windows lost threads: " + meter.lost());
    }

    /** Waits until a window loses no thread: none of earlier tests' is still ending. */
    private static void quiet(AllocationMeter meter) {
        counted(meter, () -> {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertNull(meter.lost());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
