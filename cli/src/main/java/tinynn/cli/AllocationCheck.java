package tinynn.cli;

import tinynn.runtime.Tensor;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;

/**
 * {@code bench --steps N}: training steps after warm-up, counting the bytes they allocate on the Java heap
 * ({@link AllocationMeter}, every thread). A steady-state step runs from the plan's buffers and allocates nothing,
 * so a bound of a few hundred bytes catches any per-step buffer (the smallest, 10 logits of a batch, is kilobytes).
 * The batches are consecutive full batches of the training set (wrapping around), copied into two buffers made
 * before the window, so the window holds {@link Model#trainStep} alone.
 *
 * @param warmup steps before the first window (0 puts the plan's compilation in the window: it must then fail)
 * @param windows windows of {@code steps} steps; the cleanest is judged (on the JVM the first ones hold the JIT's
 *     warm-up; a buffer allocated every step shows in every window)
 */
record AllocationCheck(int steps, int warmup, int windows, int batchSize) {

    /** Windows in a row that may lose a thread's bytes before the check gives up. */
    static final int LOST_WINDOWS = 3;

    /** The cleanest window's bytes and the total number of steps run. */
    record Result(AllocationMeter.Bytes bytes, int stepsRun) {}

    Result run(Model model, ImageTensors train) {
        int n = train.size();
        if (n < batchSize) throw new Failure("--steps needs at least one full batch of " + batchSize + " training images, got " + n);
        Tensor x = Tensor.zeros(train.inputs().dtype(), train.inputs().shape().with(0, batchSize));
        Tensor y = Tensor.zeros(train.targets().dtype(), train.targets().shape().with(0, batchSize));
        int batches = n / batchSize, next = 0;
        for (int i = 0; i < warmup; i++) step(model, train, x, y, next++ % batches);
        AllocationMeter meter = new AllocationMeter();
        AllocationMeter.Bytes best = null;
        for (int w = 0, lost = 0; w < windows; w++) {
            meter.start();
            for (int i = 0; i < steps; i++) step(model, train, x, y, next++ % batches);
            AllocationMeter.Bytes b = meter.stop();
            if (b == null) {
                // A thread ended inside the window (say, a worker of a pool closed just before): count another one.
                if (++lost > LOST_WINDOWS) throw new Failure(LOST_WINDOWS + " windows in a row lost bytes: " + meter.lost() + " while allocation was counted");
                w--;
                continue;
            }
            lost = 0;
            if (best == null || b.total() < best.total()) best = b;
            if (best.total() == 0) break;
        }
        return new Result(best, next);
    }

    private void step(Model model, ImageTensors train, Tensor x, Tensor y, int batch) {
        copyRows(train.inputs(), x, batch);
        copyRows(train.targets(), y, batch);
        double loss = model.trainStep(x, y);
        if (!Double.isFinite(loss)) throw new Failure("the loss is " + loss + " at step " + model.globalStep());
    }

    /** Rows [batch·b, batch·(b+1)) of src into dst, without allocating. */
    private void copyRows(Tensor src, Tensor dst, int batch) {
        int row = (int) (dst.size() / batchSize), from = batch * batchSize * row;
        if (src.isF32()) System.arraycopy(src.f32(), from, dst.f32(), 0, batchSize * row);
        else System.arraycopy(src.f64(), from, dst.f64(), 0, batchSize * row);
    }
}
