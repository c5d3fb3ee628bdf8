package tinynn.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;
import tinynn.runtime.optim.schedule.Scheduler;
import tinynn.runtime.train.Divergence;
import tinynn.runtime.train.Monitor;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.runtime.train.TrainingListener;

/**
 * The driver's training loop on a Spark cluster. The training set is an RDD with one cached partition per worker
 * slot, read on the executors ({@link ShardSource}). Each round broadcasts the model's parameters (a new broadcast
 * per version, destroyed after the round) and runs one task per partition; treeAggregate sums what the tasks return.
 *
 * <ul>
 * <li>{@link Mode#SYNC}: each task returns its shard's weighted gradient, the sum is the global batch's gradient,
 * and the driver's optimizer (the model's own: Adam's moments live only here) takes one step: the same update as
 * single-machine training on that global batch.</li>
 * <li>{@link Mode#AVERAGE}: each task takes {@code localSteps} steps of its own copy of the optimizer, and the
 * driver sets parameters and optimizer state to the partitions' weighted mean: local SGD, one round trip per
 * {@code localSteps} batches.</li>
 * </ul>
 *
 * An epoch is as many rounds as the smallest partition has shards (divided by the local steps when averaging). The
 * model records its position (rounds done in the epoch), so a checkpoint resumes where it was taken.
 */
public final class ClusterTrainer {

    public enum Mode { SYNC, AVERAGE }

    /**
     * How the epoch line shows losses and scores, as {@code tinynn train} does for the kind of model: accuracy in
     * percent (classifiers), R² (regression, whose "accuracy" is R²), or losses per character in nats and bits (text).
     */
    public enum Scores { ACCURACY, R2, CHARACTERS }

    /**
     * @param checkpointEvery write {@code checkpoints} after every this many rounds (counted from the start of the run's
     *                        first epoch, so a resumed run keeps the rhythm); 0 = never
     * @param out             the model file written after each epoch; null = none
     */
    public record Settings(Mode mode, int localSteps, int batch, int epochs, String backend, int threads, int checkpointEvery,
                           Checkpoints checkpoints, java.nio.file.Path out, java.nio.file.Path weightsOut, TaskHook hook) {
        public Settings {
            if (localSteps < 1) throw new IllegalArgumentException("--local-steps must be at least 1, got " + localSteps);
            if (mode == Mode.SYNC && localSteps != 1) throw new IllegalArgumentException("--local-steps applies to --mode average only");
            if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be at least 0, got " + checkpointEvery);
            if (checkpointEvery > 0 && checkpoints == null) throw new IllegalArgumentException("--checkpoint-every needs --checkpoint URI");
        }
    }

    /**
     * Where a run's rounds spent their time, summed: broadcast is the driver's time to publish the snapshot plus the
     * slowest task's time to fetch it; compute the slowest task's forward/backward (or local steps); aggregate the
     * rest of the round: scheduling the tasks, shipping their results, treeAggregate and the driver's update.
     */
    public static final class Times {
        public long rounds, broadcastNanos, computeNanos, aggregateNanos;

        void add(long broadcast, long compute, long total) {
            rounds++;
            broadcastNanos += broadcast;
            computeNanos += compute;
            aggregateNanos += Math.max(0, total - broadcast - compute);
        }

        Times copy() {
            Times t = new Times();
            t.rounds = rounds;
            t.broadcastNanos = broadcastNanos;
            t.computeNanos = computeNanos;
            t.aggregateNanos = aggregateNanos;
            return t;
        }

        /** The mean round since {@code before} (a copy taken then). */
        String perRoundSince(Times before) {
            long n = Math.max(1, rounds - before.rounds);
            return String.format(Locale.ROOT, "per round: broadcast %.1f ms, compute %.1f ms, aggregate %.1f ms",
                    (broadcastNanos - before.broadcastNanos) / 1e6 / n, (computeNanos - before.computeNanos) / 1e6 / n,
                    (aggregateNanos - before.aggregateNanos) / 1e6 / n);
        }
    }

    private final JavaSparkContext sc;
    private final Model model;
    private final Settings s;
    private final ShardSource data;
    private final int[] example, target;
    private Trainer.Evaluator evaluator, validation;
    private Monitor monitor;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private PrintWriter log = new PrintWriter(java.io.Writer.nullWriter());
    private Scores scores = Scores.ACCURACY;
    private final Times times = new Times();

    /**
     * @param example one example's input shape without the batch dimension, e.g. [784], [1, 28, 28], [T] character ids
     * @param target  one example's target shape: [outputs] one-hot classes, [1] a regression value, [T] the next characters
     */
    public ClusterTrainer(JavaSparkContext sc, Model model, Settings settings, ShardSource data, int[] example, int[] target) {
        this.sc = sc;
        this.model = model;
        this.s = settings;
        this.data = data;
        this.example = example.clone();
        this.target = target.clone();
    }

    public ClusterTrainer evaluator(Trainer.Evaluator e) { this.evaluator = e; return this; }
    public ClusterTrainer validation(Trainer.Evaluator e) { this.validation = e; return this; }
    public ClusterTrainer log(PrintWriter w) { this.log = w; return this; }
    public ClusterTrainer scores(Scores s) { this.scores = s; return this; }

    /** As {@link Trainer#monitor}: tracks the best epoch (kept in the model) and, with a patience, stops early. */
    public ClusterTrainer monitor(Monitor m) { this.monitor = m; return this; }

    /** As {@link Trainer#listener}; only {@link TrainingListener#epochEnded} and {@link TrainingListener#improved} are called. */
    public ClusterTrainer listener(TrainingListener l) { listeners.add(l); return this; }
    public Times times() { return times; }

    /** How the model's epoch position is to be read: rounds of this mode (a resumed run of another mode starts its epoch over). */
    private String modeTag() { return s.mode == Mode.SYNC ? "sync" : "average:" + s.localSteps; }

    static final String MODE_KEY = "spark_mode";

    /**
     * Trains until the model has {@code epochs} epochs ({@link Outcome.Completed}) or the monitor's patience runs out
     * ({@link Outcome.EarlyStopped}); throws on a non-finite or diverging loss.
     */
    public Outcome run() throws IOException {
        int partitions = data.partitions();
        ShardSchedule schedule = new ShardSchedule(s.batch, partitions, model.parameters().seed());
        int steps = schedule.steps(data.sizes());
        int rounds = s.mode == Mode.SYNC ? steps : steps / s.localSteps;
        if (rounds < 1) {
            throw new IllegalArgumentException("an epoch has " + steps + " global batches of " + s.batch + ", fewer than --local-steps "
                    + s.localSteps + "; lower --local-steps or --batch-size");
        }
        EpochPosition pos = model.epochPosition();
        if (!pos.atStart() && (model.batchSize() != s.batch || !modeTag().equals(model.metadata().get(MODE_KEY)))) {
            log.printf("note: the checkpoint's epoch was trained with another batch size or mode; epoch %d starts over%n", model.epoch() + 1);
            pos = EpochPosition.START;
            model.epochPosition(0, 0, 0);
        }
        model.batchSize(s.batch);
        model.metadata().put(MODE_KEY, modeTag());
        if (monitor != null) monitor.start(model);

        Blueprint bp = new Blueprint(UUID.randomUUID().toString(), bytes(model), example, target, s.backend, s.threads, schedule, s.hook);
        Model holder = ModelCodec.find().load(new ByteArrayInputStream(bp.model()), "the run's model", model.backend());
        Broadcast<Blueprint> blueprint = sc.broadcast(bp);
        ShardSource source = data;
        JavaRDD<Shard> shards = sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                .map(p -> source.read(p, blueprint.value())).persist(StorageLevel.MEMORY_ONLY());
        try {
            Scheduler lrSchedule = model.schedule();
            while (model.epoch() < s.epochs) {
                int epoch = model.epoch();
                long t0 = System.nanoTime();
                Times before = times.copy();
                double lossSum = pos.lossSum();
                int lossSteps = pos.lossSteps();
                for (int r = pos.step(); r < rounds; r++) {
                    if (lrSchedule != null) lrSchedule.apply(model.optimizer(), model.globalStep(), epoch);
                    double loss = round(shards, blueprint, holder, epoch, r);
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the loss became " + loss + " at epoch " + (epoch + 1) + " round " + (r + 1)
                                + "; lower --lr (now " + (float) model.optimizer().lr() + ")");
                    }
                    if (Double.isNaN(model.initialLoss())) model.initialLoss(loss);
                    lossSum += loss;
                    lossSteps++;
                    model.epochPosition(r + 1, lossSum, lossSteps);
                    long done = (long) epoch * rounds + r + 1;
                    if (s.checkpointEvery > 0 && done % s.checkpointEvery == 0) s.checkpoints.save(model);
                }
                pos = EpochPosition.START;
                double trainLoss = lossSum / lossSteps;
                double reference = Divergence.referenceLoss(model);
                if (Divergence.diverged(trainLoss, reference)) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "the loss diverged in epoch %d: train loss %.4g is more than %.0f "
                            + "times the initial loss %.4f; lower --lr", epoch + 1, trainLoss, Divergence.FACTOR, reference));
                }
                Object guard = new Object();
                Trainer.Score test = evaluator != null ? evaluator.evaluate(model, guard) : null;
                Trainer.Score val = validation != null ? validation.evaluate(model, guard) : null;
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochMetrics m = new EpochMetrics(epoch, trainLoss, test != null ? test.loss() : Double.NaN,
                        test != null ? test.accuracy() : Double.NaN, seconds, val != null ? val.loss() : Double.NaN,
                        val != null ? val.accuracy() : Double.NaN);
                if (lrSchedule != null) lrSchedule.epochEnded(val != null ? val.loss() : test != null ? test.loss() : trainLoss);
                model.endEpoch(m);
                model.epochPosition(0, 0, 0);
                boolean improved = monitor != null && monitor.record(model, m);
                if (s.out != null) model.save(s.out);
                if (s.weightsOut != null) model.saveWeights(s.weightsOut);
                if (s.checkpointEvery > 0) s.checkpoints.save(model);
                log.printf(Locale.ROOT, "epoch %d/%d: train loss %s%s%s, %.1f s (%d rounds; %s)%n", epoch + 1, s.epochs, loss(trainLoss),
                        score("test", test), score("val", val), seconds, rounds, times.perRoundSince(before));
                log.flush();
                for (TrainingListener l : listeners) l.epochEnded(model, m);
                if (improved) for (TrainingListener l : listeners) l.improved(model, m);
                Outcome.EarlyStopped early = monitor != null ? monitor.exhausted(model, s.epochs) : null;
                if (early != null) return early;
            }
            return new Outcome.Completed();
        } finally {
            shards.unpersist(false);
            blueprint.destroy();
        }
    }

    private String loss(double nats) {
        return scores == Scores.CHARACTERS ? String.format(Locale.ROOT, "%.4f (%.3f bits/char)", nats, nats / Math.log(2))
                : String.format(Locale.ROOT, "%.4f", nats);
    }

    /** ", test loss 0.1234, test acc 97.50%" for a set's score, or nothing without one. */
    private String score(String set, Trainer.Score score) {
        if (score == null) return "";
        String acc = scores == Scores.R2 ? String.format(Locale.ROOT, "%s r2 %.4f", set, score.accuracy())
                : String.format(Locale.ROOT, "%s acc %.2f%%", set, 100 * score.accuracy());
        return ", " + set + " loss " + loss(score.loss()) + ", " + acc;
    }

    /** One round: broadcast, tasks, treeAggregate, update; returns the round's loss (the global batch's mean). */
    private double round(JavaRDD<Shard> shards, Broadcast<Blueprint> blueprint, Model holder, int epoch, int r) {
        boolean sync = s.mode == Mode.SYNC;
        int k = s.localSteps;
        long t0 = System.nanoTime();
        Snapshot snap = Snapshot.of(model, epoch, r, !sync);
        Broadcast<Snapshot> b = sc.broadcast(snap);
        long broadcast = System.nanoTime() - t0;
        Sums sum;
        try {
            sum = shards.mapPartitions(it -> {
                long f0 = System.nanoTime();
                Blueprint bpv = blueprint.value();
                Snapshot sv = b.value();
                long fetch = System.nanoTime() - f0;
                return sync ? Tasks.gradient(it, bpv, sv, fetch) : Tasks.localSteps(it, bpv, sv, k, fetch);
            }).treeAggregate(Sums.empty(), Sums::add, Sums::add, 2);
        } finally {
            b.destroy();
        }
        if (sum.parts != shards.getNumPartitions()) {
            throw new IllegalStateException("round " + (r + 1) + " heard from " + sum.parts + " of " + shards.getNumPartitions() + " partitions");
        }
        if (sync) applyGradient(snap, sum);
        else applyAverage(snap, sum, holder, k);
        times.add(broadcast + sum.fetchNanos, sum.computeNanos, System.nanoTime() - t0);
        return sum.loss;
    }

    private void applyGradient(Snapshot snap, Sums sum) {
        Map<String, Tensor> params = model.parameters().asMap();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        String[] names = snap.names();
        for (int i = 0; i < names.length; i++) {
            Tensor p = params.get(names[i]);
            if (model.parameters().trainable(names[i])) grads.put(names[i], sum.values[i].wrap(p.shape()));
            else sum.values[i].into(p); // running statistics: the shards' weighted mean
        }
        // The driver has run no training plan, so this is the optimizer's step over these gradients (then the plans are invalidated).
        model.applyGrad(new Model.Grads(sum.loss, grads));
    }

    private void applyAverage(Snapshot snap, Sums sum, Model holder, int k) {
        Map<String, Tensor> into = holder.parameters().asMap();
        String[] names = snap.names();
        for (int i = 0; i < names.length; i++) sum.values[i].into(into.get(names[i]));
        model.copyParametersFrom(holder);
        Values[] slots = Arrays.copyOfRange(sum.values, names.length, sum.values.length);
        model.optimizer().restore(snap.optimizerSteps() + k, Snapshot.slotMap(sum.slotKeys, slots, model.parameters().asMap()));
        model.globalStep(model.globalStep() + k);
    }

    private static byte[] bytes(Model model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelCodec.find().save(model, out, false);
        return out.toByteArray();
    }

    /** For tests: the parameters as float arrays by name. */
    public static Map<String, float[]> values(Model model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.parameters().asMap().forEach((k, v) -> out.put(k, v.f32().clone()));
        return out;
    }

}
