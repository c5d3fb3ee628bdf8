package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The meter behind {@code bench --steps}: every thread's bytes count, and a window that loses some is refused. */
class AllocationMeterTest {

    static final int MIB = 1 << 20;
    /** Keeps allocations from being optimised away. */
    static volatile Object sink;

    @Test void theCallersAllocationsCount() {
        AllocationMeter meter = new AllocationMeter();
        meter.start();
        sink = new byte[MIB];
        AllocationMeter.Bytes b = meter.stop();
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
        meter.start();
        go.countDown();
        done.await();
        AllocationMeter.Bytes b = meter.stop();
        release.countDown();
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
        meter.start();
        worker.start();
        done.await();
        AllocationMeter.Bytes b = meter.stop();
        release.countDown();
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
        meter.start();
        go.countDown();
        worker.join();
        Failure f = assertThrows(Failure.class, meter::stop);
        assertTrue(f.getMessage().contains("ended while allocation was counted"), f::getMessage);

        Thread brief = new Thread(() -> sink = new byte[MIB]);
        meter.start();
        brief.start();
        brief.join();
        Failure g = assertThrows(Failure.class, meter::stop);
        assertTrue(g.getMessage().contains("1 started and ended"), g::getMessage);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
