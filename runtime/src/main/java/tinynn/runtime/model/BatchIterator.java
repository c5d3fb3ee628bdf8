package tinynn.runtime.model;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import tinynn.runtime.Tensor;

/**
 * Mini-batches over (x, y), reshuffled at every pass when shuffle is on. The order of pass e
 * depends only on (seed, e), so training resumed at epoch e sees the batches it would have seen.
 * Batches reuse their buffers: copy a batch if you keep it past the next one.
 */
public final class BatchIterator {
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int pass;

    public BatchIterator(int batchSize) { this(batchSize, true, 0); }

    public BatchIterator(int batchSize, boolean shuffle, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** The number of passes started so far; set it to resume at an epoch. */
    public int pass() { return pass; }

    public void pass(int pass) { this.pass = pass; }

    public Iterable<Batch> over(Tensor x, Tensor y) {
        int n = x.shape().dim(0);
        if (y.shape().dim(0) != n) throw new IllegalArgumentException("inputs have " + n + " rows but targets have " + y.shape().dim(0));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + pass++);
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
        }
        return () -> new Iterator<>() {
            int start = 0;
            Batch full, last;

            public boolean hasNext() { return start < n; }

            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int size = Math.min(batchSize, n - start);
                Batch b = size == batchSize ? (full = reuse(full, x, y, size)) : (last = reuse(last, x, y, size));
                gather(x, b.inputs(), order, start, size);
                gather(y, b.targets(), order, start, size);
                start += size;
                return b;
            }
        };
    }

    private static Batch reuse(Batch b, Tensor x, Tensor y, int size) {
        if (b != null) return b;
        return new Batch(Tensor.zeros(x.dtype(), x.shape().with(0, size)), Tensor.zeros(y.dtype(), y.shape().with(0, size)));
    }

    private static void gather(Tensor src, Tensor dst, int[] order, int start, int size) {
        int row = (int) (src.shape().size() / Math.max(1, src.shape().dim(0)));
        for (int i = 0; i < size; i++) {
            int from = order[start + i] * row, to = i * row;
            if (src.isF32() && dst.isF32()) System.arraycopy(src.f32(), from, dst.f32(), to, row);
            else if (!src.isF32() && !dst.isF32()) System.arraycopy(src.f64(), from, dst.f64(), to, row);
            else for (int k = 0; k < row; k++) dst.set(to + k, src.get(from + k));
        }
    }

}
