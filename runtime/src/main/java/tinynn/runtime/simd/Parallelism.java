package tinynn.runtime.simd;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny fork-join helper for data-parallel kernels: a fixed set of daemon worker threads (started by the first
 * loop that splits) plus the calling thread, which always executes the first chunk itself.
 *
 * <p>{@link #parallelFor(int, IntRangeBody)} splits {@code [0, n)} into at most {@link #threads()} contiguous,
 * near-equal chunks and blocks until all of them have run. Dispatch is allocation-free: workers are signalled
 * through volatile counters, spin briefly and then park, so back-to-back loops (as in a training step) avoid the
 * park/unpark latency. A {@code Parallelism} with one thread has no workers and runs every loop inline. (To
 * keep a hot loop allocation-free, pass a reused body object rather than a capturing lambda.)
 *
 * <p>Re-entrancy: a loop started while this instance is already running a loop (from a body, or concurrently
 * from another thread) runs inline on the calling thread, so nesting can never deadlock.
 *
 * <p>Exceptions thrown by a body are re-thrown to the caller (the first one wins) after all chunks finished.
 */
public final class Parallelism implements AutoCloseable {

    private static final Parallelism SERIAL = new Parallelism(1, 0);
    /** The dispatching caller spins this long for its workers, then yields until CALLER_YIELD_NANOS. */
    private static final long CALLER_SPIN_NANOS = 100_000L;
    private static final long CALLER_YIELD_NANOS = 5_000_000L;

    private final int threads;
    /** How long an idle worker spins before parking (see {@link SimdConfig#spinMicros()}). */
    private final long spinNanos;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile boolean closed;
    /** Whether the workers were started; written under this instance's lock, read by the thread holding busy. */
    private boolean started;

    // Current job; written by the dispatching thread before the volatile signal writes, read by workers after.
    private IntRangeBody body;
    private int jobN;
    private int jobChunks;
    private volatile Throwable failure;

    private Parallelism(int threads, long spinMicros) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        this.threads = threads;
        this.spinNanos = 1_000L * spinMicros;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) workers[i] = new Worker(i + 1);
    }

    /**
     * Starts the workers on the first loop that needs them, not when the instance is made: a process that only
     * describes or loads a model (a native {@code tinynn version} or {@code predict}) never pays for the threads.
     * Called by the dispatching thread (it holds {@code busy}); false if this instance was closed first, and then
     * the loop runs inline.
     */
    private synchronized boolean startWorkers() {
        if (closed) return false;
        if (!started) {
            for (Worker w : workers) {
                Thread t = new Thread(w, THREAD_NAME + w.index);
                t.setDaemon(true);
                w.thread = t;
                t.start();
            }
            started = true;
        }
        return true;
    }

    /** A shared instance that runs everything inline on the calling thread. */
    public static Parallelism serial() {
        return SERIAL;
    }

    /** Prefix of the worker threads' names. */
    static final String THREAD_NAME = "tinynn-pool-";

    /**
     * A new instance with {@code threads} threads (the caller counts as one, so {@code threads - 1} workers are
     * started) whose idle workers spin {@code spinMicros} before parking. {@code threads == 1} returns
     * {@link #serial()}. Close it when no longer needed.
     */
    public static Parallelism of(int threads, long spinMicros) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        if (spinMicros < 0) throw new IllegalArgumentException("spinMicros must be >= 0: " + spinMicros);
        return threads == 1 ? SERIAL : new Parallelism(threads, spinMicros);
    }

    /** {@link #of(int, long)} with the default spin time of {@link SimdConfig#defaults()}. */
    public static Parallelism ofThreads(int threads) {
        return of(threads, SimdConfig.defaults().spinMicros());
    }

    /** Number of threads a loop may use, including the caller. */
    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks. */
    public void parallelFor(int n, IntRangeBody body) {
        parallelFor(n, 1, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks of at least
     * {@code minChunk} indices each (so small loops run inline). Blocks until every chunk has completed.
     */
    public void parallelFor(int n, int minChunk, IntRangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || closed || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            dispatch(n, chunks, body);
        } finally {
            busy.set(false);
        }
    }

    private void dispatch(int n, int chunks, IntRangeBody body) {
        if (!started && !startWorkers()) {
            body.run(0, n);
            return;
        }
        this.body = body;
        this.jobN = n;
        this.jobChunks = chunks;
        this.failure = null;
        remaining.set(chunks - 1);
        for (int i = 0; i < chunks - 1; i++) {
            Worker w = workers[i];
            w.signal++;                      // volatile write: publishes the job fields above
            if (w.parked) LockSupport.unpark(w.thread);
        }
        Throwable own = null;
        try {
            body.run(0, chunkEnd(n, chunks, 0));
        } catch (Throwable t) {
            own = t;
        }
        awaitWorkers();
        this.body = null;
        Throwable f = own != null ? own : failure;
        failure = null;
        if (f != null) {
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            throw new RuntimeException(f);
        }
    }

    /**
     * Waits for the workers of the current loop. The caller never parks on an unpark from a worker: in a VM
     * waking a parked thread costs hundreds of microseconds, and a late caller would then find the workers
     * parked too on its next dispatch, a pattern that sustains itself. It spins, then yields, and only for
     * long waits falls back to short timed parks.
     */
    private void awaitWorkers() {
        if (remaining.get() == 0) return;
        long start = System.nanoTime();
        int spins = 0;
        while (remaining.get() != 0) {
            if ((++spins & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long waited = System.nanoTime() - start;
            if (waited < CALLER_SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (waited < CALLER_YIELD_NANOS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(this, 50_000L);
            }
        }
    }

    static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    static int chunkEnd(int n, int chunks, int c) {
        return (int) ((long) n * (c + 1) / chunks);
    }

    /**
     * Stops the worker threads and waits until they have ended (idempotent); later loops run inline on the
     * caller. The shared {@link #serial()} instance has no workers.
     */
    @Override
    public void close() {
        if (workers.length == 0) return;
        synchronized (this) {
            closed = true; // under the lock: no worker starts after this
            if (!started) return;
        }
        for (Worker w : workers) {
            w.signal++;
            LockSupport.unpark(w.thread);
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            while (w.thread.isAlive() && w.thread != Thread.currentThread()) {
                try {
                    w.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public String toString() {
        return "Parallelism[threads=" + threads + "]";
    }

    private final class Worker implements Runnable {
        final int index;
        Thread thread;
        volatile int signal;
        volatile boolean parked;

        Worker(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                int s = signal;
                if (s == seen) {
                    idle(seen);
                    continue;
                }
                seen = s;
                if (closed) return;
                IntRangeBody b = body;
                int n = jobN, chunks = jobChunks;
                try {
                    b.run(chunkStart(n, chunks, index), chunkEnd(n, chunks, index));
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                remaining.decrementAndGet();
            }
        }

        private void idle(int seen) {
            long start = System.nanoTime();
            int spins = 0;
            while (signal == seen) {
                if ((++spins & 63) == 0 && System.nanoTime() - start > spinNanos) {
                    parked = true;
                    if (signal == seen) LockSupport.park(this);
                    parked = false;
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }
}
