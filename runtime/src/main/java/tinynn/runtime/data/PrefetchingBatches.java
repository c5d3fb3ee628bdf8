package tinynn.runtime.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;

/**
 * A {@link BatchIterator} whose next batch is gathered and transformed (augmented, say) on one background thread
 * while the caller trains on the current one: double buffering, so the model's step and the data preparation
 * overlap. It yields exactly the batches of the plain loop
 * {@code for (Batch b : batches.over(x, y)) transform.apply(b, epoch, position)}.
 *
 * <p>One thread for the life of the object (not one per epoch or step), two batch buffers that are reused (no
 * allocation per batch once an epoch has run), and the same contract as {@link BatchIterator}: a batch is valid
 * until the next call to {@code next()}. An exception on the background thread is thrown by the caller's next
 * {@code hasNext()}/{@code next()}. {@link #close()} stops the thread; use try-with-resources.
 */
public final class PrefetchingBatches implements AutoCloseable {
    private final BatchIterator batches;
    private final BatchTransform transform;
    private final Thread worker;

    // Everything below is guarded by "this".
    /** Slot s holds batches j with j % 2 == s; a slot keeps a full-size and a last-batch-size buffer. */
    private final Batch[][] slots = new Batch[2][2];
    private final Batch[] ready = new Batch[2];
    private Iterable<Batch> job; // an epoch handed to the worker and not yet picked up
    private int jobEpoch;
    private long jobId; // increases with every epoch started; the worker abandons an epoch whose id is not current
    private boolean running; // the worker is inside an epoch (or about to pick one up)
    private long produced; // batches of the current epoch ready in their slots
    private long taken; // batches of the current epoch handed to the caller
    private boolean ended; // the worker has reached the current epoch's end
    private Throwable failure;
    private boolean closed;

    /** @param transform applied to each batch on the background thread, or {@code null} for none */
    public PrefetchingBatches(BatchIterator batches, BatchTransform transform) {
        this.batches = batches;
        this.transform = transform;
        this.worker = new Thread(this::work, "tinynn-prefetch");
        worker.setDaemon(true); // a forgotten close() must not keep the JVM alive
        worker.start();
    }

    /**
     * The next epoch's batches, in the order and with the transform of the plain loop. Starting to iterate a newer
     * epoch abandons what is left of the previous one.
     */
    public Iterable<Batch> over(Tensor x, Tensor y) {
        int epoch = batches.pass();
        Iterable<Batch> plain = batches.over(x, y); // advances the pass now, as the plain loop does
        return () -> start(plain, epoch);
    }

    private synchronized Iterator<Batch> start(Iterable<Batch> plain, int epoch) {
        checkOpen();
        long id = ++jobId; // tells the worker to drop the previous epoch at its next step
        notifyAll();
        while (running && failure == null && !closed) {
            waitUninterruptibly();
        }
        rethrowFailure();
        checkOpen();
        produced = 0;
        taken = 0;
        ended = false;
        job = plain;
        jobEpoch = epoch;
        running = true;
        notifyAll();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                synchronized (PrefetchingBatches.this) {
                    if (id != jobId) {
                        throw new IllegalStateException("this epoch's batches were abandoned when a newer epoch started");
                    }
                    while (produced <= taken && !ended && failure == null && !closed) {
                        waitUninterruptibly();
                    }
                    rethrowFailure();
                    checkOpen();
                    return produced > taken;
                }
            }

            @Override
            public Batch next() {
                synchronized (PrefetchingBatches.this) {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Batch b = ready[(int) (taken % 2)];
                    taken++; // gives back the slot of the batch before this one
                    PrefetchingBatches.this.notifyAll();
                    return b;
                }
            }
        };
    }

    /** The background thread: runs each epoch it is given, one batch ahead of the caller. */
    private void work() {
        try {
            while (true) {
                Iterator<Batch> source;
                int epoch;
                long id;
                synchronized (this) {
                    while (!closed && job == null) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    source = job.iterator();
                    epoch = jobEpoch;
                    id = jobId;
                    job = null;
                }
                long position = 0;
                for (long j = 0; ; j++) {
                    synchronized (this) {
                        // Batch j goes into the slot of batch j - 2, which the caller gave back by taking j - 1.
                        while (!closed && jobId == id && j > taken) {
                            wait();
                        }
                        if (closed || jobId != id) {
                            break;
                        }
                    }
                    Batch plain = source.hasNext() ? source.next() : null;
                    Batch slot = null;
                    if (plain != null) {
                        slot = slotFor((int) (j % 2), plain);
                        slot.inputs().copyFrom(plain.inputs());
                        slot.targets().copyFrom(plain.targets());
                        if (transform != null) {
                            transform.apply(slot, epoch, position);
                        }
                        position += plain.size();
                    }
                    synchronized (this) {
                        if (jobId != id) {
                            break;
                        }
                        if (plain == null) {
                            ended = true;
                            notifyAll();
                            break;
                        }
                        ready[(int) (j % 2)] = slot;
                        produced = j + 1;
                        notifyAll();
                    }
                }
                synchronized (this) {
                    running = false;
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting politely
        } catch (Throwable t) {
            synchronized (this) {
                failure = t;
                running = false;
                notifyAll();
            }
        }
    }

    /** The slot's buffer of {@code plain}'s shape, made on first use (the last batch of an epoch may be smaller). */
    private Batch slotFor(int slot, Batch plain) {
        Batch[] buffers = slots[slot];
        for (Batch b : buffers) {
            if (b != null && b.inputs().shape().equals(plain.inputs().shape())
                    && b.targets().shape().equals(plain.targets().shape())) {
                return b;
            }
        }
        Batch made = new Batch(Tensor.zeros(plain.inputs().dtype(), plain.inputs().shape()),
                Tensor.zeros(plain.targets().dtype(), plain.targets().shape()));
        buffers[buffers[0] == null ? 0 : 1] = made;
        return made;
    }

    private void rethrowFailure() {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("batch prefetching failed: " + failure, failure);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("prefetching batches used after close()");
        }
    }

    private void waitUninterruptibly() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next batch", e);
        }
    }

    /** Stops the background thread and waits for it; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
    }
}
