package tinynn.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bytes allocated on the Java heap by every live platform thread between {@link #start()} and {@link #stop()}: the
 * sum of {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes(id)} over the threads alive at the start.
 *
 * <p>Why this is sound in the native image as on HotSpot: SubstrateVM (GraalVM 25, serial GC) supports that call
 * ({@code isThreadAllocatedMemorySupported()} is true). Its per-thread counter grows when a TLAB is retired (also at
 * every GC) and when an object is allocated outside a TLAB (large arrays), and the read adds the current TLAB's
 * used bytes, so it is exact, not TLAB-granular, and no collection loses bytes. Two things it does not give
 * natively, so this class does not use them: {@code getAllThreadIds()} returns an empty array and
 * {@code getTotalThreadAllocatedBytes()} returns -1; the threads come from {@link Thread#getAllStackTraces()}.
 * A thread started inside the window (the native image starts one of its own in the first training step) is
 * counted whole, from its birth. A thread that ends inside the window takes its bytes with it, so {@link #stop()}
 * refuses such a window: one alive at the start and gone at the end, or more started (the VM's started-thread count)
 * than the new threads seen; the caller measures another window (threads of a closed pool end soon after the close).
 * Reading a counter allocates nothing (HotSpot and SubstrateVM); the meter's own allocations happen before the
 * calling thread's first read and after its last. Memory outside the Java heap
 * (malloc, direct buffers) is not counted; tinynn's tensors are heap arrays.
 */
final class AllocationMeter {

    /** Bytes by the thread that called {@link #stop()} and by all the others. */
    record Bytes(long caller, long others) {
        long total() { return caller + others; }
    }

    private final com.sun.management.ThreadMXBean threads;
    private List<Thread> live = List.of();
    private long[] before = new long[0];
    private long callerBefore, startedBefore;
    private String lost;

    AllocationMeter() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) || !t.isThreadAllocatedMemorySupported()) {
            throw new Failure("this VM cannot count allocated bytes per thread (com.sun.management.ThreadMXBean); "
                    + "run the allocation check on HotSpot or a GraalVM native image");
        }
        if (!t.isThreadAllocatedMemoryEnabled()) t.setThreadAllocatedMemoryEnabled(true);
        this.threads = t;
    }

    /** Starts a window: remembers the live threads and their counters (the caller's last). */
    void start() {
        startedBefore = threads.getTotalStartedThreadCount();
        live = liveThreads();
        before = new long[live.size()];
        Thread me = Thread.currentThread();
        for (int i = 0; i < before.length; i++) {
            if (live.get(i) != me) before[i] = read(live.get(i));
        }
        callerBefore = read(me);
    }

    /**
     * Ends the window started by {@link #start()} (on the same thread): the bytes allocated in it, or null when a
     * thread ended inside it and took its bytes along ({@link #lost()} says which); measure another window then.
     */
    Bytes stop() {
        Thread me = Thread.currentThread();
        long caller = read(me) - callerBefore;
        long[] after = new long[before.length];
        for (int i = 0; i < after.length; i++) {
            if (live.get(i) != me) after[i] = read(live.get(i));
        }
        List<Thread> now = liveThreads();
        List<Thread> born = now.stream().filter(t -> !live.contains(t)).toList();
        long[] bornBytes = born.stream().mapToLong(this::read).toArray();
        List<Thread> ended = new ArrayList<>();
        for (int i = 0; i < after.length; i++) {
            if (live.get(i) != me && (before[i] < 0 || after[i] < 0 || !now.contains(live.get(i)))) ended.add(live.get(i));
        }
        for (int i = 0; i < bornBytes.length; i++) {
            if (bornBytes[i] < 0) ended.add(born.get(i));
        }
        long startedInside = threads.getTotalStartedThreadCount() - startedBefore;
        if (!ended.isEmpty() || startedInside > born.size()) {
            lost = ended.isEmpty() ? startedInside - born.size() + " thread(s) started and ended" : "thread(s) " + names(ended) + " ended";
            return null;
        }
        lost = null;
        long others = 0;
        for (int i = 0; i < after.length; i++) {
            if (live.get(i) != me) others += after[i] - before[i];
        }
        for (long b : bornBytes) others += b;
        return new Bytes(caller, others);
    }

    /** Why the last {@link #stop()} returned null, or null. */
    String lost() {
        return lost;
    }

    /** The thread's counter, or -1 once it has ended. */
    private long read(Thread t) {
        return threads.getThreadAllocatedBytes(t.threadId());
    }

    private static List<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isVirtual()).toList();
    }

    private static String names(List<Thread> ts) {
        return ts.stream().map(t -> "'" + t.getName() + "'").collect(Collectors.joining(", "));
    }
}
