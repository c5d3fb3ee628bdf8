package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizer;
import tinynn.runtime.optim.Optimizers;
import tinynn.runtime.train.Divergence;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.runtime.train.TrainingListener;

@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a classifier on images, or a character language model on a UTF-8 text (--text), and saves it as a model file.",
                "Data: a built-in set (--data mnist|fashion-mnist|cifar10, fetched into the cache on first use; cifar10 is fed [N, 3, 32, 32] to a CNN), an IDX "
                        + "pair (--train-images/--train-labels, optional --test-images/--test-labels) or CSV "
                        + "files of 'label,p0,p1,...' rows of 0-255 pixels (--train-csv, --test-csv). Inputs are pixels/255.",
                "Image folders: --train-dir DIR (optional --test-dir DIR) holds one sub-folder of PNG/JPEG files per class; the sorted "
                        + "folder names are the classes. Images are resized to --image-shape (default: the first image's size; area average "
                        + "when shrinking, bilinear when enlarging, aspect ratio not kept), grey or --color rgb ([N, 3, H, W] for a CNN).",
                "Tables: --train-csv F --target COLUMN reads a CSV with a header; COLUMN is predicted from every other (numeric) column, "
                        + "standardised with the training rows' mean and std (saved in the model for predict and eval): classes, or a number "
                        + "with --task regression (mse loss; RMSE, MAE and R² reported). The mlp's default --hidden is 64,32 for tables.",
                "Network: --arch mlp (dense layers of --hidden sizes with --activation between them, softmax "
                        + "cross-entropy loss), --arch lenet5 (the LeNet-5 CNN: conv 6@5x5, max-pool, conv 16@5x5, max-pool, "
                        + "dense 120, 84; images fed as [N, 1, H, W]), --arch lstm (LSTM(128) reading the rows of an image as time steps, "
                        + "[N, H, W]), --arch charlstm (with --text: embedding, LSTM(256) and a dense layer per character; losses per "
                        + "character in nats and bits; sample it with 'tinynn generate'), or --arch FILE, a model spec: a tinynn.v1.Model in protobuf text "
                        + "format whose 'layers' (and optionally 'training.optimizer', 'training.lr_schedule', 'metadata') are used.",
                "Each epoch prints one line (train loss, test loss, test accuracy, learning rate, seconds) and saves the model. "
                        + "Ctrl-C saves a checkpoint and exits; --resume continues it where it stopped, with the "
                        + "run's data and --epochs. A diverging loss (NaN, or an epoch's mean above 10 times the "
                        + "initial loss) stops training with exit status 1; the model file keeps its last good epoch.",
                "Control: --val-split holds out part of the training set for validation; --early-stop stops when "
                        + "--monitor stops improving; --save-best keeps the best epoch's model; --log and --plot write "
                        + "the curves. A spec's 'training.control' block gives their defaults; --resume reuses the run's."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn train --data mnist --hidden 400,100 --epochs 20 --out mnist.tnn",
                "  tinynn train --data fashion-mnist --optimizer sgd --lr 0.05 \\",
                "               --momentum 0.9 --out fashion.tnn",
                "  tinynn train --train-images train-img.idx --train-labels train-lbl.idx \\",
                "               --test-images test-img.idx --test-labels test-lbl.idx --epochs 3",
                "  tinynn train --train-csv train.csv --test-csv test.csv --image-shape 8x8",
                "  tinynn train --train-dir photos/train --test-dir photos/test \\",
                "               --image-shape 32x32 --color rgb --arch lenet5",
                "  tinynn train --train-csv houses.csv --test-csv houses-test.csv \\",
                "               --target price --task regression",
                "  tinynn train --data mnist --arch lenet5 --epochs 10 --out lenet5.tnn",
                "  tinynn train --data mnist --arch lstm --epochs 5 --out lstm.tnn",
                "  tinynn train --text book.txt --seq-len 100 --epochs 10 --out charlm.tnn",
                "  tinynn train --data mnist --arch net.txtpb",
                "  tinynn train --data mnist --val-split 0.1 --early-stop 3 \\",
                "               --save-best best.tnn --log run.csv --plot curves.svg",
                "  tinynn train --resume mnist.tnn",
                "  tinynn train --resume mnist.tnn --epochs 30"
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TrainOptions o;

    /** Tests only: a listener added to this run's trainer after the report, e.g. to simulate Ctrl-C at a step. */
    Function<Checkpointer, TrainingListener> testListener;

    private PrintWriter out() { return spec.commandLine().getOut(); }
    private PrintWriter err() { return spec.commandLine().getErr(); }

    @Override public Integer call() throws IOException {
        o.validate();
        if (o.resume != null && java.nio.file.Files.isRegularFile(o.resume) && tinynn.serialization.onnx.OnnxImporter.isOnnx(o.resume)) {
            throw o.usage("--resume " + o.resume + ": an ONNX model has no training state to resume; start from its weights with --init-from");
        }
        if (o.resume == null) o.validateSource();
        Path target = o.out != null ? o.out : o.resume != null ? o.resume : Path.of("model.tnn");
        checkOutputs(o, target);
        DType dt = o.elementType();
        int nThreads = o.threads != null ? o.threads : Runtime.getRuntime().availableProcessors();
        Backend be = createBackend(o.backend, nThreads, spec);

        Model model = null;
        if (o.resume != null) {
            if (o.initFrom != null) throw o.usage("--init-from and --resume are alternatives: --resume continues a run, --init-from starts a new one from a model's weights");
            refuseOnResume(o, o.resume);
            model = ModelInfo.load(o.resume, be);
            o.reuse(model.trainingRun());
            o.reuseFolders(model.metadata());
            o.adopt(model.trainingControl());
            o.validateSource();
        } else if (o.initFrom != null) {
            refuseOnInitFrom(o);
        } else if (!Architectures.isBuiltIn(o.arch)) {
            o.adopt(SpecControl.read(Path.of(o.arch)));
        }
        o.validateControl();
        try (OutputLock lock = OutputLock.acquire(target, "--out");
             OutputLock weightsLock = o.weightsOut != null ? OutputLock.acquire(o.weightsOut, "--weights-out") : null) {
            return train(model, be, dt, target);
        }
    }

    /** The options a resumed run takes from the model it continues ({@code from}: the file or checkpoint), refused if given. */
    static void refuseOnResume(TrainOptions o, Object from) {
        for (String opt : List.of("--arch", "--hidden", "--activation", "--dtype", "--seed")) {
            if (o.given(opt)) throw o.usage(opt + " cannot change when resuming; the architecture, dtype and seed come from " + from);
        }
    }

    /** The options --init-from's file decides, refused if given; --text, which trains no classifier, too. */
    static void refuseOnInitFrom(TrainOptions o) {
        if (o.text != null) throw o.usage("--init-from fine-tunes classifiers; it does not take --text");
        for (String opt : List.of("--arch", "--hidden", "--activation", "--dtype")) {
            if (o.given(opt)) throw o.usage(opt + " cannot be given with --init-from; the architecture comes from " + o.initFrom);
        }
    }

    /** --lr and clipping given again on --resume change from here on; the optimizer's type and state come from the file. */
    static void resumeOptimizer(TrainOptions o, Model model) {
        if (o.lr != null) model.optimizer().lr(o.lr);
        // Clipping is recorded with the optimizer and kept on resume; given again, it changes from here on.
        if (o.clipNorm != null) model.optimizer().clipNorm(o.clipNorm);
        if (o.clipValue != null) model.optimizer().clipValue(o.clipValue);
        LrSchedules.resume(o, model);
        if (o.given("--optimizer") || o.given("--momentum") || o.given("--weight-decay")) {
            throw o.usage("--optimizer, --momentum and --weight-decay cannot change when resuming (the optimizer state comes from "
                    + (o.resume != null ? o.resume : "the checkpoint") + "); --lr can");
        }
    }

    /** A resumed model must have epochs left to train. */
    static void checkEpochs(TrainOptions o, Model model, Path target) {
        if (model.epoch() >= o.epochs) {
            boolean given = o.given("--epochs");
            throw o.usage((given ? "--epochs " + o.epochs + ": " : "") + (o.resume != null ? o.resume : target) + " has already trained "
                    + model.epoch() + " epochs" + (given ? "" : ", the run's --epochs") + "; pass a larger --epochs to continue");
        }
    }

    /** What the header line calls a resumed network: "resumed FILE", or just "resumed" for tinynn-spark's --resume-checkpoint. */
    static String resumedName(TrainOptions o) {
        return o.resume != null ? "resumed " + o.resume.getFileName() : "resumed";
    }

    private Integer train(Model model, Backend be, DType dt, Path target) throws IOException {
        if (o.text != null || model != null && ModelInfo.isTextModel(model)) return trainText(model, be, dt, target);
        if (o.target != null || model != null && TableModel.isTable(model)) return trainTable(model, be, dt, target);
        TrainingData d = TrainingData.load(o, model, err());
        int features = d.train().features();
        int numClasses = d.classLabels().size();

        String archName;
        Map<String, String> specMetadata = Map.of();
        int specBatch = 0;
        if (model == null && o.initFrom != null) {
            model = initFrom(o, be, features);
            archName = "fine-tuning " + o.initFrom.getFileName();
        } else if (model == null) {
            Architectures.Spec a = Architectures.adapt(buildArch(o, features, numClasses, List.of(400, 100)), d.train());
            archName = a.name();
            specMetadata = a.metadata();
            specBatch = a.batchSize();
            model = newModel(o, a, be, dt, inputShape(o, a, d));
        } else {
            archName = resumedName(o);
            int in = ModelInfo.inputFeatures(model, o.resume.toString());
            if (in != features) {
                throw new Failure(d.source() + ": examples have " + features + " features but " + o.resume + " was trained on " + in);
            }
            ModelInfo.checkImageShape(model, in, d.train(), d.source(), o.resume);
            resumeOptimizer(o, model);
        }
        int outputs = ModelInfo.outputs(model, features);
        if (outputs < numClasses) {
            throw new Failure(d.source() + ": the data has " + numClasses + " classes but the network has " + outputs + " outputs");
        }
        int batch = o.batchSize != null ? o.batchSize : model.batchSize() > 0 ? model.batchSize() : specBatch > 0 ? specBatch : 128;
        checkEpochs(o, model, target);

        recordImageMetadata(model, specMetadata, d, features);
        model.trainingRun(o.record());
        model.trainingControl(o.control());

        PrintWriter out = out();
        out.printf(Locale.ROOT, "%s: %s, %,d parameters (%s), %s lr %s, batch %d, %s%n",
                d.name(), archName, model.parameters().trainableCount(), model.dtype().name().toLowerCase(Locale.ROOT),
                model.optimizer().type(), fmt(model.optimizer().lr()), batch, be.describe());
        if (model.schedule() != null) out.printf(Locale.ROOT, "schedule: %s%n", model.schedule().describe());
        out.printf(Locale.ROOT, "data: %,d training examples%s%n", d.train().count(),
                d.test() != null ? String.format(Locale.ROOT, ", %,d test examples", d.test().count()) : " (no test set)");
        out.flush();

        return run(model, d, batch, outputs, target);
    }

    /**
     * train --text: a character language model. Each example is a window of --seq-len characters as ids [N, T], its
     * targets the next characters [N, T]; a tenth of the windows (--val-split) validate. Losses are nats per
     * character (ln p), shown in bits too.
     */
    private Integer trainText(Model resumed, Backend be, DType dt, Path target) throws IOException {
        TextRun r = TextRun.prepare(o, resumed, be, dt, target);
        TextData d = r.data();
        Model model = r.model();
        int batch = r.batch();
        PrintWriter w = out();
        w.printf(Locale.ROOT, "%s: %s, %,d parameters (%s), %s lr %s, batch %d, %s%n",
                d.file().getFileName(), r.arch(), model.parameters().trainableCount(), model.dtype().name().toLowerCase(Locale.ROOT),
                model.optimizer().type(), fmt(model.optimizer().lr()), batch, be.describe());
        if (model.schedule() != null) w.printf(Locale.ROOT, "schedule: %s%n", model.schedule().describe());
        r.describe(w);
        w.flush();

        Tensor inputs = TextData.tensor(d.train().inputs(), d.train().count(), d.seqLen(), model.dtype());
        Tensor targets = TextData.tensor(d.train().targets(), d.train().count(), d.seqLen(), model.dtype());
        Trainer trainer = new Trainer(model, batch);
        if (d.validation() != null) trainer.validation((m, guard) -> TextEvaluation.run(m, d.validation(), guard));
        Progress progress = new Progress(err(), o.progressMode).characters(d.seqLen());
        Checkpointer cp = new Checkpointer(target, err(), trainer);
        TrainingReport report = new TrainingReport(out(), progress, cp, target, o.weightsOut, batch, o.epochs, false);
        report.validation(d.validation() != null);
        report.characters((long) d.train().count() * d.seqLen());
        trainer.listener(report);
        if (testListener != null) trainer.listener(testListener.apply(cp));
        try (ControlListeners control = ControlListeners.wire(o, trainer, d.validation() != null, false, target)) {
            return runTrainer(trainer, inputs, targets, model, target, progress, cp, report, control);
        }
    }

    /**
     * train --train-csv F --target COLUMN: an mlp (or a spec's network) from the standardised feature columns to the
     * classes (softmax cross-entropy) or to the standardised target (mse). For regression the epoch line's losses are
     * tinynn's mse (half the squared error) of the standardised target and its "acc" column is R²; the run ends with the test set's RMSE, MAE and R²
     * in the target's units.
     */
    private Integer trainTable(Model resumed, Backend be, DType dt, Path target) throws IOException {
        TableRun r = TableRun.prepare(o, resumed, be, dt, target);
        TableData d = r.data();
        TableModel table = d.table();
        Model model = r.model();
        int batch = r.batch();
        PrintWriter w = out();
        w.printf(Locale.ROOT, "%s: %s, %,d parameters (%s), %s lr %s, batch %d, %s%n",
                d.name(), r.arch(), model.parameters().trainableCount(), model.dtype().name().toLowerCase(Locale.ROOT),
                model.optimizer().type(), fmt(model.optimizer().lr()), batch, be.describe());
        if (model.schedule() != null) w.printf(Locale.ROOT, "schedule: %s%n", model.schedule().describe());
        r.describe(w);
        w.flush();

        Trainer trainer = new Trainer(model, batch);
        if (d.test() != null) trainer.evaluator((m, guard) -> table.score(m, d.test(), guard));
        if (d.validation() != null) trainer.validation((m, guard) -> table.score(m, d.validation(), guard));
        Progress progress = new Progress(err(), o.progressMode);
        Checkpointer cp = new Checkpointer(target, err(), trainer);
        TrainingReport report = new TrainingReport(out(), progress, cp, target, o.weightsOut, batch, o.epochs, d.test() != null);
        report.validation(d.validation() != null);
        report.regression(table.regression());
        trainer.listener(report);
        if (testListener != null) trainer.listener(testListener.apply(cp));
        int code;
        try (ControlListeners control = ControlListeners.wire(o, trainer, d.validation() != null, d.test() != null, target)) {
            code = runTrainer(trainer, d.train().inputs(model.dtype()), d.train().targets(model.dtype(), table.outputs()), model, target, progress,
                    cp, report, control);
        }
        if (code == Errors.OK) r.printTestFit(w);
        return code;
    }

    private int run(Model model, TrainingData d, int batch, int outputs, Path target) throws IOException {
        Shape in = ModelInfo.inputShape(model, d.train().features(), 1);
        ImageTensors t = ImageTensors.of(d.train(), model.dtype()).shaped(Shape.of(java.util.Arrays.copyOfRange(in.dims(), 1, in.rank())));
        Trainer trainer = new Trainer(model, batch);
        if (d.test() != null) {
            trainer.evaluator((m, guard) -> {
                Evaluation ev = Evaluation.run(m, d.test(), outputs, guard);
                return new Trainer.Score(ev.loss(), ev.accuracy());
            });
        }
        if (d.validation() != null) {
            trainer.validation((m, guard) -> {
                Evaluation ev = Evaluation.run(m, d.validation(), outputs, guard);
                return new Trainer.Score(ev.loss(), ev.accuracy());
            });
        }
        Progress progress = new Progress(err(), o.progressMode);
        Checkpointer cp = new Checkpointer(target, err(), trainer);
        TrainingReport report = new TrainingReport(out(), progress, cp, target, o.weightsOut, batch, o.epochs, d.test() != null);
        report.validation(d.validation() != null);
        trainer.listener(report);
        if (testListener != null) trainer.listener(testListener.apply(cp));
        try (ControlListeners control = ControlListeners.wire(o, trainer, d.validation() != null, d.test() != null, target)) {
            return runTrainer(trainer, t.inputs(), t.targets(), model, target, progress, cp, report, control);
        }
    }

    private int runTrainer(Trainer trainer, Tensor inputs, Tensor targets, Model model, Path target, Progress progress, Checkpointer cp,
                    TrainingReport report, ControlListeners control) throws IOException {
        cp.install();
        try {
            Outcome outcome;
            try {
                outcome = trainer.run(inputs, targets, o.epochs);
            } catch (UncheckedIOException e) {
                throw e.getCause(); // a save after an epoch failed
            }
            return switch (outcome) {
                case Outcome.Completed c -> {
                    out().println("saved " + target + (o.weightsOut != null ? " and " + o.weightsOut + " (weights only)" : ""));
                    out().flush();
                    yield Errors.OK;
                }
                case Outcome.EarlyStopped e -> {
                    out().println(control.earlyStopped(e) + "; saved " + target
                            + (o.weightsOut != null ? " and " + o.weightsOut + " (weights only)" : ""));
                    out().flush();
                    yield Errors.OK;
                }
                case Outcome.Stopped s -> interrupted(cp, progress);
                case Outcome.NonFiniteLoss f -> {
                    progress.endEpoch();
                    throw new Failure("the loss became " + f.loss() + " at epoch " + (f.epoch() + 1) + " step " + f.step()
                            + "; " + kept(target, model, report.saved()) + "; lower --lr (now " + fmt(model.optimizer().lr()) + ")");
                }
                case Outcome.Diverged v -> {
                    progress.endEpoch();
                    throw new Failure(String.format(Locale.ROOT, "the loss diverged in epoch %d: train loss %.4g is more than %.0f times the "
                            + "initial loss %.4f; %s; lower --lr (now %s)", v.epoch() + 1, v.trainLoss(), Divergence.FACTOR,
                            v.reference(), kept(target, model, report.saved()), fmt(model.optimizer().lr())));
                }
            };
        } finally {
            synchronized (trainer.guard()) {
                cp.finished();
            }
            cp.uninstall();
        }
    }

    private int interrupted(Checkpointer cp, Progress progress) {
        progress.endEpoch();
        String msg = cp.outcome();
        err().println("tinynn train: " + (msg != null ? msg : "interrupted"));
        err().flush();
        cp.reported();
        return cp.exitCode();
    }

    /** What the model file holds after a failed epoch: the last good state is never overwritten. */
    private String kept(Path target, Model model, boolean savedThisRun) {
        if (savedThisRun || o.resume != null && target.toAbsolutePath().normalize().equals(o.resume.toAbsolutePath().normalize())) {
            return target + " keeps the last good state (" + model.epoch() + (model.epoch() == 1 ? " epoch" : " epochs") + " done)";
        }
        return target + " was not written";
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", (float) v);
    }

    static Backend createBackend(String name, int threads, CommandSpec spec) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores) {
            // Allowed (a shared machine may report fewer cores than it has), but more threads than cores only contend.
            PrintWriter err = spec.commandLine().getErr();
            err.println(Errors.prefix(spec.commandLine()) + "warning: --threads " + threads + " is more than the " + cores
                    + " cores available; that makes it slower, not faster (use at most " + cores + ")");
            err.flush();
        }
        try {
            return Backends.createAndSetOjalgoThreads(name != null ? name : Backends.DEFAULT, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--backend: " + e.getMessage());
        }
    }

    /**
     * One example as the network's first layer wants it (see {@link tinynn.ops.nn.Layers#inputRank}): images as
     * [1, C, H, W] (C = 1 grey, 3 RGB) for a spatial first layer, [1, H, W] (rows as time steps; grey only) for a
     * recurrent one, else [1, features].
     */
    static Shape inputShape(TrainOptions o, Architectures.Spec a, TrainingData d) {
        int rank = tinynn.ops.nn.Layers.inputRank(a.layers());
        if (rank == 4) return Shape.of(1, d.train().channels(), d.train().rows(), d.train().cols());
        if (rank == 3 && d.train().channels() != 1) {
            throw o.usage("--arch " + o.arch + " reads grey image rows as time steps; RGB images (--color rgb) need an mlp or a CNN");
        }
        if (rank == 3) return Shape.of(1, d.train().rows(), d.train().cols()); // a recurrent first layer reads image rows as time steps

        return Shape.of(1, d.train().features());
    }

    /** What predict and eval need to prepare images as this run did: data set, class labels, shapes, normalisation. */
    static void recordImageMetadata(Model model, Map<String, String> specMetadata, TrainingData d, int features) {
        Map<String, String> meta = model.metadata();
        meta.putAll(specMetadata);
        meta.put(ModelInfo.DATASET, d.name());
        meta.put(ModelInfo.CLASS_LABELS, String.join(",", d.classLabels()));
        meta.put(ModelInfo.INPUT_SHAPE, inputShapeMetadata(model, features));
        meta.put(ModelInfo.IMAGE_SHAPE, d.train().rows() + "," + d.train().cols());
        meta.put(ModelInfo.NORMALIZATION, "scale=" + ModelInfo.PIXEL_SCALE);
        // An image-folder model (resumed or --init-from) trained on another source no longer prepares images that way.
        for (String key : List.of(ModelInfo.IMAGE_RESIZE, ModelInfo.IMAGE_CHANNELS, ModelInfo.TRAIN_DIR, ModelInfo.TEST_DIR)) meta.remove(key);
        meta.putAll(d.metadata());
    }

    /** The model's input shape with the batch open, "-1,784" or "-1,1,28,28", as metadata input_shape records it. */
    private static String inputShapeMetadata(Model model, int features) {
        int[] dims = ModelInfo.inputShape(model, features, 1).dims();
        StringBuilder sb = new StringBuilder("-1");
        for (int i = 1; i < dims.length; i++) sb.append(',').append(dims[i]);
        return sb.toString();
    }

    /** The network --arch names (a built-in preset or a spec file), for examples of {@code features} values. */
    static Architectures.Spec buildArch(TrainOptions o, int features, int numClasses, List<Integer> defaultHidden) throws IOException {
        if (o.arch.equals("lenet5")) return Architectures.lenet5(numClasses);
        if (o.arch.equals("lstm")) return Architectures.lstm(numClasses);
        if (o.arch.equals("mlp")) {
            List<Integer> h = o.hidden != null ? o.hidden : defaultHidden;
            try {
                Architectures.activation(o.activation);
                for (int x : h) if (x < 1) throw new IllegalArgumentException("--hidden: layer sizes must be positive, got " + x);
            } catch (IllegalArgumentException e) {
                throw o.usage(e.getMessage());
            }
            return Architectures.mlp(features, h, o.activation, numClasses);
        }
        Path file = Path.of(o.arch);
        Architectures.Spec s = Architectures.fromFile(file);
        if (s.layers().isEmpty()) throw new Failure(file + ": the spec has no layers");
        return s;
    }

    /**
     * --init-from: the layers, weights, loss and metadata of an imported .onnx (or a .tnn) file, a fresh optimizer
     * and schedule from the options; the file's training state, if any, is not used (that is --resume).
     */
    static Model initFrom(TrainOptions o, Backend be, int features) {
        Model init = ModelInfo.loadForInference(o.initFrom, be);
        int in = ModelInfo.inputFeatures(init, o.initFrom.toString());
        if (in != features) throw new Failure(o.initFrom + ": takes " + in + " input features but the examples have " + features);
        Optimizer opt = createOptimizer(o, null, Map.of());
        Model model = new Model(init.net(), init.loss(), opt, be, init.dtype(), o.seed != null ? o.seed : 31);
        init.parameters().asMap().forEach(model.parameters()::put);
        model.metadata().putAll(init.metadata());
        model.build(init.inputShape());
        model.schedule(LrSchedules.create(o, null, opt.lr()));
        return model;
    }

    /** The optimizer the options ask for over the spec's (or Adam), with the spec's hyper-parameters unless overridden. */
    /** Before any work: the model file and --weights-out can be written, and they are two files. */
    static void checkOutputs(TrainOptions o, Path target) {
        OutputLock.checkWritable(target, "--out");
        if (o.weightsOut != null) {
            OutputLock.checkWritable(o.weightsOut, "--weights-out");
            if (o.weightsOut.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
                throw o.usage("--weights-out must differ from the checkpoint file " + target);
            }
        }
    }

    /**
     * A new model of the spec's network, loss and optimizer (flags win), built for the input shape and with the
     * learning-rate schedule; a network that does not fit the data fails naming --arch.
     */
    static Model newModel(TrainOptions o, Architectures.Spec a, Backend be, DType dt, Shape input) {
        Optimizer opt = createOptimizer(o, a.optimizer(), a.hyper());
        try {
            Model model = new Model(new Net(a.layers()), a.loss(), opt, be, dt, o.seed != null ? o.seed : TrainOptions.DEFAULT_SEED);
            model.build(input);
            model.schedule(LrSchedules.create(o, a.schedule(), opt.lr()));
            return model;
        } catch (GraphException | IllegalArgumentException e) {
            throw new Failure((Architectures.isBuiltIn(o.arch) ? "--arch " + o.arch : o.arch) + ": " + e.getMessage());
        }
    }

    static Optimizer createOptimizer(TrainOptions o, String specType, Map<String, Double> hyper) {
        String type = o.optimizer != null ? o.optimizer : specType != null ? specType : "adam";
        Map<String, Double> h = new LinkedHashMap<>(hyper);
        if (!h.containsKey("lr")) h.put("lr", Optimizers.defaultLr(type));
        if (o.lr != null) h.put("lr", o.lr);
        if (o.weightDecay != null) h.put("weight_decay", o.weightDecay);
        if (o.momentum != null) h.put("momentum", o.momentum);
        if (o.clipNorm != null) h.put("clip_norm", o.clipNorm);
        if (o.clipValue != null) h.put("clip_value", o.clipValue);
        try {
            return Optimizers.create(type, h);
        } catch (IllegalArgumentException e) {
            throw new Failure(o.arch + ": " + e.getMessage());
        }
    }
}
