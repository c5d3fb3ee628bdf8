package tinynn.runtime.simd;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Units {@code [0, n)} handed out to the threads of a split loop: each thread first takes its own contiguous share
 * from the front, then helps the others from the back of theirs.
 *
 * <p>Why not one shared counter: units taken in arrival order interleave the cores' outputs (image 0 on one core,
 * image 1 on the other, ...), and the next kernel, which splits its loop into contiguous halves, then reads half its
 * input from the other core's cache. Contiguous shares keep each core's output where it will be read next, and
 * stealing from the back keeps the balance on a shared machine where one core is slow.
 */
final class WorkShares {
    /** Per share, its next unit (high 32 bits) and its end (low 32 bits); taken by compare-and-set. */
    private AtomicLongArray shares = new AtomicLongArray(2);
    private int count;

    /**
     * Splits {@code units} into {@code count} near-equal contiguous shares. Called by the dispatching thread before
     * the loop starts (the dispatch publishes it); allocates only when {@code count} exceeds every earlier one.
     */
    void reset(int units, int count) {
        if (count < 1) throw new IllegalArgumentException("shares: " + count);
        if (count > shares.length()) shares = new AtomicLongArray(count);
        this.count = count;
        for (int s = 0; s < count; s++) {
            long from = (long) units * s / count, to = (long) units * (s + 1) / count;
            shares.set(s, from << 32 | to);
        }
    }

    /** The next unit for thread {@code t}: from the front of its own share, else from the back of another; -1 when none is left. */
    int claim(int t) {
        for (long v; ; ) {
            v = shares.get(t);
            int lo = (int) (v >>> 32), hi = (int) v;
            if (lo >= hi) break;
            if (shares.compareAndSet(t, v, (long) (lo + 1) << 32 | hi)) return lo;
        }
        for (int i = 1; i < count; i++) {
            int s = (t + i) % count;
            for (long v; ; ) {
                v = shares.get(s);
                int lo = (int) (v >>> 32), hi = (int) v;
                if (lo >= hi) break;
                if (shares.compareAndSet(s, v, (long) lo << 32 | (hi - 1))) return hi - 1;
            }
        }
        return -1;
    }
}
