package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.spark.Checkpoints;
import tinynn.spark.ClusterTrainer;
import tinynn.spark.ShardSource;

/**
 * {@code tinynn-spark train}: {@code tinynn train}'s options, data sources and model specs (the same {@link TrainOptions},
 * {@link TrainingData}, {@link TextRun}, {@link TableRun}, {@link Architectures}, in this package because they are
 * package-private), trained data-parallel on a Spark cluster by {@link ClusterTrainer}, writing the same model file.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains what 'tinynn train' trains (an image classifier, a --target table, a --text character model; f32 or --dtype f64) "
                        + "data-parallel on Apache Spark and saves it as the same tinynn model file, metadata included.",
                "Every node reads its share of the training set itself (IDX, CSV, image folders, a built-in set in a shared --data-dir, "
                        + "a --train-csv table, a --text file), from paths that must be the same on every node; tables are standardised with "
                        + "the driver's statistics and text encoded with its vocabulary (both in the model). The driver reads the data too, "
                        + "for shapes, classes and statistics, and evaluates the test and validation sets.",
                "--mode sync (default): each round every partition computes the gradient of its shard of the global batch (--batch-size), "
                        + "the gradients are summed (treeAggregate) and the driver's optimizer steps: single-machine training on those batches.",
                "--mode average --local-steps K: each partition takes K steps with its own copy of the optimizer, then parameters and "
                        + "optimizer state are averaged: one round trip per K batches, for slow networks.",
                "Each task computes with --threads threads (default 1: Spark runs a task per core); the driver uses all of its cores.",
                "--checkpoint URI (any Hadoop path: file:///, hdfs://, s3a://) with --checkpoint-every N rounds; after a driver restart, "
                        + "--resume-checkpoint continues from it. --init-from starts from a model's weights (.tnn or .onnx); --early-stop, --save-best, "
                        + "--monitor, --log and --plot work as in 'tinynn train'."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn-spark train --master local[2] --data mnist --epochs 5 \\",
                "               --out mnist.tnn",
                "  tinynn-spark train --master spark://10.0.0.1:7077 --data mnist \\",
                "               --data-dir /shared/mnist --mode average --local-steps 8 \\",
                "               --checkpoint hdfs://nn/ckpt/mnist.tnn --checkpoint-every 100 \\",
                "               --out mnist.tnn",
                "  tinynn-spark train --master spark://10.0.0.1:7077 --resume-checkpoint \\",
                "               --checkpoint hdfs://nn/ckpt/mnist.tnn --out mnist.tnn",
                "  tinynn-spark train --master local[2] --train-csv /shared/houses.csv \\",
                "               --target price --task regression --out houses.tnn",
                "  tinynn-spark train --master local[2] --text /shared/book.txt \\",
                "               --epochs 10 --out charlm.tnn"
        })
public final class SparkTrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TrainOptions o;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master: local[N] (N worker threads in this JVM) or spark://HOST:PORT (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the training set, one task each per round (default: the cluster's cores).")
    Integer partitions;

    @Option(names = "--mode", paramLabel = "sync|average", defaultValue = "sync", description = "sync (a gradient sum per step) or average "
            + "(local SGD: --local-steps steps per partition, then parameters and optimizer state averaged) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--local-steps", paramLabel = "K", description = "With --mode average: local steps per round (default: 8).")
    Integer localSteps;

    @Option(names = "--checkpoint", paramLabel = "URI", description = "Where --checkpoint-every writes the full model (Hadoop path: file:///, hdfs://, s3a://, or local).")
    String checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0", description = "Write --checkpoint every N rounds and after each epoch (default: never).")
    int checkpointEvery;

    @Option(names = "--resume-checkpoint", description = "Continue the run saved in --checkpoint (after the driver stopped), as --resume continues a local file.")
    boolean resumeCheckpoint;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. spark.executor.memory=4g (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** Tests only: runs before each task on the executors (fault injection). */
    tinynn.spark.TaskHook hook;

    private PrintWriter out() { return spec.commandLine().getOut(); }
    private PrintWriter err() { return spec.commandLine().getErr(); }

    @Override public Integer call() throws IOException {
        o.validate();
        DType dt = o.elementType();
        ClusterTrainer.Mode m = switch (mode) {
            case "sync" -> ClusterTrainer.Mode.SYNC;
            case "average" -> ClusterTrainer.Mode.AVERAGE;
            default -> throw o.usage("--mode: '" + mode + "' is not sync or average");
        };
        if (localSteps != null && m == ClusterTrainer.Mode.SYNC) throw o.usage("--local-steps applies to --mode average only");
        int k = localSteps != null ? localSteps : m == ClusterTrainer.Mode.SYNC ? 1 : 8;
        if (k < 1) throw o.usage("--local-steps must be at least 1, got " + k);
        if (checkpointEvery < 0) throw o.usage("--checkpoint-every must be at least 0, got " + checkpointEvery);
        if ((checkpointEvery > 0 || resumeCheckpoint) && checkpoint == null) {
            throw o.usage((resumeCheckpoint ? "--resume-checkpoint" : "--checkpoint-every") + " needs --checkpoint URI");
        }
        if (resumeCheckpoint && o.resume != null) throw o.usage("--resume and --resume-checkpoint are alternatives: give one");
        if (o.initFrom != null && (resumeCheckpoint || o.resume != null)) {
            throw o.usage("--init-from and --resume are alternatives: --resume continues a run, --init-from starts a new one from a model's weights");
        }
        if (partitions != null && partitions < 1) throw o.usage("--partitions must be at least 1, got " + partitions);

        Path target = o.out != null ? o.out : o.resume != null ? o.resume : Path.of("model.tnn");
        TrainCommand.checkOutputs(o, target);
        int nThreads = o.threads != null ? o.threads : 1;
        Backend be = TrainCommand.createBackend(o.backend, Runtime.getRuntime().availableProcessors(), spec);

        SparkConf sc = new SparkConf().setMaster(master).setAppName("tinynn-spark train")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            // Everything runs in this JVM: no UI to serve, no reason to listen beyond loopback.
            sc.setIfMissing("spark.ui.enabled", "false").setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        String jars = System.getProperty("tinynn.spark.jars");
        if (jars != null && !jars.isBlank() && !master.startsWith("local")) sc.set("spark.jars", jars);
        String execOpts = System.getProperty("tinynn.spark.executorJavaOptions");
        if (execOpts != null) sc.setIfMissing("spark.executor.extraJavaOptions", execOpts);
        conf.forEach(sc::set);
        Checkpoints checkpoints = checkpoint != null
                ? new Checkpoints(checkpoint, org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(sc)) : null;

        Model model = null;
        if (resumeCheckpoint) {
            TrainCommand.refuseOnResume(o, checkpoint);
            model = checkpoints.load(be);
        } else if (o.resume != null) {
            TrainCommand.refuseOnResume(o, o.resume);
            model = ModelInfo.load(o.resume, be);
        }
        if (model != null) {
            o.reuse(model.trainingRun());
            o.reuseFolders(model.metadata());
            o.reuseText(model.metadata());
            o.adopt(model.trainingControl());
        } else if (o.initFrom != null) {
            TrainCommand.refuseOnInitFrom(o);
        } else if (!Architectures.isBuiltIn(o.arch)) {
            o.adopt(SpecControl.read(Path.of(o.arch)));
        }
        o.validateSource();
        o.validateControl();
        Cluster c = new Cluster(m, k, nThreads, sc, checkpoints, target);
        try (OutputLock lock = OutputLock.acquire(target, "--out");
             OutputLock weightsLock = o.weightsOut != null ? OutputLock.acquire(o.weightsOut, "--weights-out") : null) {
            if (o.text != null || model != null && ModelInfo.isTextModel(model)) return text(model, be, dt, c);
            if (o.target != null || model != null && TableModel.isTable(model)) return table(model, be, dt, c);
            return images(model, be, dt, c);
        }
    }

    /** How this run uses the cluster, whatever it trains. */
    private record Cluster(ClusterTrainer.Mode mode, int localSteps, int threads, SparkConf conf, Checkpoints checkpoints, Path target) {}

    /**
     * What the cluster trains, whatever the data: the prepared model and batch, how one example's input and target are
     * shaped, the data options the executors re-read (and how many examples they must find), how the driver scores the
     * model after each epoch (null: no such set), and the lines that describe the data under the header.
     */
    private record Job(String name, String arch, Model model, int batch, List<String> dataArgs, int count, int[] example, int[] target,
                       Trainer.Evaluator test, Trainer.Evaluator validation, ClusterTrainer.Scores scores, Consumer<PrintWriter> describe) {}

    /** An image classifier, built as tinynn train builds it (or resumed, or from --init-from's weights). */
    private Integer images(Model model, Backend be, DType dt, Cluster c) throws IOException {
        TrainingData d = TrainingData.load(o, model, err());
        int features = d.train().features();
        int numClasses = d.classLabels().size();
        String archName;
        Map<String, String> specMetadata = Map.of();
        int specBatch = 0;
        if (model == null && o.initFrom != null) {
            model = TrainCommand.initFrom(o, be, features);
            archName = "fine-tuning " + o.initFrom.getFileName();
        } else if (model == null) {
            Architectures.Spec a = Architectures.adapt(TrainCommand.buildArch(o, features, numClasses, List.of(400, 100)), d.train());
            archName = a.name();
            specMetadata = a.metadata();
            specBatch = a.batchSize();
            model = TrainCommand.newModel(o, a, be, dt, TrainCommand.inputShape(o, a, d));
        } else {
            archName = TrainCommand.resumedName(o);
            int in = ModelInfo.inputFeatures(model, "the model to resume");
            if (in != features) throw new Failure(d.source() + ": examples have " + features + " features but the model to resume was trained on " + in);
            TrainCommand.resumeOptimizer(o, model);
        }
        int outputs = ModelInfo.outputs(model, features);
        if (outputs < numClasses) throw new Failure(d.source() + ": the data has " + numClasses + " classes but the network has " + outputs + " outputs");
        int batch = o.batchSize != null ? o.batchSize : model.batchSize() > 0 ? model.batchSize() : specBatch > 0 ? specBatch : 128;
        TrainCommand.checkEpochs(o, model, c.target());
        TrainCommand.recordImageMetadata(model, specMetadata, d, features);
        Shape in = ModelInfo.inputShape(model, features, 1);
        model.trainingRun(o.record());
        model.trainingControl(o.control());

        Job job = new Job(d.name(), archName, model, batch, dataArgs(d, model.parameters().seed()), d.train().count(),
                Arrays.copyOfRange(in.dims(), 1, in.rank()), new int[] {outputs},
                d.test() != null ? (mm, guard) -> score(Evaluation.run(mm, d.test(), outputs, guard)) : null,
                d.validation() != null ? (mm, guard) -> score(Evaluation.run(mm, d.validation(), outputs, guard)) : null,
                ClusterTrainer.Scores.ACCURACY, w -> w.printf(Locale.ROOT, "data: %,d training examples%s%n", d.train().count(),
                        d.test() != null ? String.format(Locale.ROOT, ", %,d test examples", d.test().count()) : " (no test set)"));
        train(job, c);
        return Errors.OK;
    }

    /**
     * A character language model (--text), prepared as tinynn train prepares it. The executors read the text file
     * themselves and encode it with the model's vocabulary; the driver scores the validation windows.
     */
    private Integer text(Model resumed, Backend be, DType dt, Cluster c) throws IOException {
        TextRun r = TextRun.prepare(o, resumed, be, dt, c.target());
        TextData d = r.data();
        int t = d.seqLen();
        List<String> args = List.of("--text", abs(d.file()), "--seq-len", Integer.toString(t), "--val-split", Double.toString(o.valSplit));
        Job job = new Job(d.file().getFileName().toString(), r.arch(), r.model(), r.batch(), args, d.train().count(), new int[] {t},
                new int[] {t}, null, d.validation() != null ? (mm, guard) -> TextEvaluation.run(mm, d.validation(), guard) : null,
                ClusterTrainer.Scores.CHARACTERS, r::describe);
        train(job, c);
        return Errors.OK;
    }

    /**
     * A --target table, prepared as tinynn train prepares it. The executors read the CSV file themselves and
     * standardise it with the statistics the model's metadata holds (the driver's training rows'); the driver scores
     * the test and validation rows, and after a regression reports the test set's RMSE, MAE and R².
     */
    private Integer table(Model resumed, Backend be, DType dt, Cluster c) throws IOException {
        TableRun r = TableRun.prepare(o, resumed, be, dt, c.target());
        TableData d = r.data();
        TableModel t = d.table();
        List<String> args = new ArrayList<>(List.of("--train-csv", abs(o.trainCsv)));
        if (o.limit != null) args.addAll(List.of("--limit", Integer.toString(o.limit)));
        if (o.valSplit != null) args.addAll(List.of("--val-split", Double.toString(o.valSplit)));
        Job job = new Job(d.name(), r.arch(), r.model(), r.batch(), args, d.train().n(), new int[] {t.features().size()},
                new int[] {t.outputs()}, d.test() != null ? (mm, guard) -> t.score(mm, d.test(), guard) : null,
                d.validation() != null ? (mm, guard) -> t.score(mm, d.validation(), guard) : null,
                t.regression() ? ClusterTrainer.Scores.R2 : ClusterTrainer.Scores.ACCURACY, r::describe);
        train(job, c);
        r.printTestFit(out());
        return Errors.OK;
    }

    /** Trains a prepared job on the cluster, saving the model after each epoch. */
    private void train(Job j, Cluster c) throws IOException {
        Model model = j.model();
        try (JavaSparkContext sc = new JavaSparkContext(c.conf())) {
            sc.setLogLevel("WARN");
            int parts = partitions != null ? partitions : sc.defaultParallelism();
            PrintWriter w = out();
            w.printf(Locale.ROOT, "%s: %s, %,d parameters (%s), %s lr %s, global batch %d over %d partitions, %s on %s%n", j.name(), j.arch(),
                    model.parameters().trainableCount(), model.dtype().name().toLowerCase(Locale.ROOT), model.optimizer().type(),
                    (float) model.optimizer().lr(), j.batch(), parts,
                    c.mode() == ClusterTrainer.Mode.SYNC ? "synchronous" : "model averaging every " + c.localSteps() + " local steps", master);
            j.describe().accept(w);
            w.flush();
            ShardSource source = new ShardSource(j.dataArgs(), parts, j.count());
            ClusterTrainer.Settings s = new ClusterTrainer.Settings(c.mode(), c.localSteps(), j.batch(), o.epochs, o.backend, c.threads(),
                    checkpointEvery, c.checkpoints(), c.target(), o.weightsOut, hook);
            ClusterTrainer trainer = new ClusterTrainer(sc, model, s, source, j.example(), j.target()).log(w).scores(j.scores());
            if (j.test() != null) trainer.evaluator(j.test());
            if (j.validation() != null) trainer.validation(j.validation());
            try (ControlListeners control = ControlListeners.wire(o, model, trainer::monitor, trainer::listener, j.validation() != null,
                    j.test() != null, c.target())) {
                String saved = "saved " + c.target() + (o.weightsOut != null ? " and " + o.weightsOut + " (weights only)" : "");
                Outcome outcome = trainer.run();
                w.println(outcome instanceof Outcome.EarlyStopped e ? control.earlyStopped(e) + "; " + saved : saved);
                w.flush();
            }
        }
    }

    private static Trainer.Score score(Evaluation ev) { return new Trainer.Score(ev.loss(), ev.accuracy()); }

    /** An image set's data options as the executors re-read them: the driver's resolved source, absolute paths, the same cut. */
    private List<String> dataArgs(TrainingData d, long seed) {
        List<String> a = new ArrayList<>();
        if (o.data != null) {
            a.addAll(List.of("--data", o.data, "--data-dir", Path.of(d.source()).toAbsolutePath().toString()));
        } else if (o.trainImages != null) {
            a.addAll(List.of("--train-images", abs(o.trainImages), "--train-labels", abs(o.trainLabels)));
        } else if (o.trainCsv != null) {
            a.addAll(List.of("--train-csv", abs(o.trainCsv), "--image-shape", d.train().rows() + "x" + d.train().cols()));
        } else {
            a.addAll(List.of("--train-dir", abs(o.trainDir), "--image-shape", d.train().rows() + "x" + d.train().cols(), "--color", o.channels() == 3 ? "rgb" : "grey"));
        }
        if (o.data == null && o.classes != null) a.addAll(List.of("--classes", Integer.toString(o.classes)));
        if (o.limit != null) a.addAll(List.of("--limit", Integer.toString(o.limit)));
        if (o.valSplit != null) a.addAll(List.of("--val-split", Double.toString(o.valSplit), "--seed", Long.toString(seed)));
        return a;
    }

    private static String abs(Path p) { return p.toAbsolutePath().normalize().toString(); }
}
