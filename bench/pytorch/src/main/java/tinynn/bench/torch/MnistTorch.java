package tinynn.bench.torch;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The training run LeNetTorch and LstmTorch share: MNIST from the tinynn cache (pixels/255), softmax cross entropy,
 * Adam 1e-3, Xavier-uniform weights, batch 128 with the last partial batch kept, shuffled each epoch; one line per
 * epoch, {@code pytorch epoch E: S seconds, test accuracy A}, the time covering the training steps only (batch
 * assembly included, evaluation not). Threads: PyTorch's intra-op pool is set to T and its inter-op pool to 1 through
 * DJL's {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, read when the engine starts.
 * Arguments: {@code [--epochs N] [--threads T] [--data DIR] [--seed S]}.
 */
final class MnistTorch {
    private static final int BATCH = 128;

    private MnistTorch() {}

    /** Trains {@code block} on images fed as [N, example...]; {@code afterInit} adjusts the initialised parameters. */
    static void run(String program, String modelName, String[] args, SequentialBlock block, Shape example, Consumer<Model> afterInit)
            throws Exception {
        int epochs = 1, threads = Runtime.getRuntime().availableProcessors();
        long seed = 31;
        Path data = Path.of(System.getProperty("user.home"), ".cache", "tinynn", "mnist");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException(program + ": unknown argument " + args[i] + "; use --epochs N --threads T --data DIR --seed S");
            }
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        float[] trainX = Idx.read(data.resolve("train-images-idx3-ubyte")).pixels();
        int[] trainY = Idx.read(data.resolve("train-labels-idx1-ubyte")).labels();
        float[] testX = Idx.read(data.resolve("t10k-images-idx3-ubyte")).pixels();
        int[] testY = Idx.read(data.resolve("t10k-labels-idx1-ubyte")).labels();
        int image = (int) example.size();

        try (Model model = Model.newInstance(modelName, "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                model.getNDManager().getEngine().setRandomSeed((int) seed);
                trainer.initialize(batchOf(BATCH, example));
                afterInit.accept(model);
                System.out.println("pytorch " + model.getNDManager().getEngine().getVersion() + " via DJL, threads: intra-op "
                        + JniUtils.getNumThreads() + ", inter-op " + JniUtils.getNumInteropThreads());
                int n = trainY.length;
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Random rng = new Random(seed);
                float[] xb = new float[BATCH * image];
                float[] yb = new float[BATCH];
                for (int epoch = 0; epoch < epochs; epoch++) {
                    shuffle(order, rng);
                    long start = System.nanoTime();
                    for (int s = 0; s < n; s += BATCH) {
                        int b = Math.min(BATCH, n - s);
                        for (int r = 0; r < b; r++) {
                            System.arraycopy(trainX, order[s + r] * image, xb, r * image, image);
                            yb[r] = trainY[order[s + r]];
                        }
                        try (NDManager step = trainer.getManager().newSubManager()) {
                            NDArray x = step.create(FloatBuffer.wrap(xb, 0, b * image), batchOf(b, example));
                            NDArray y = step.create(FloatBuffer.wrap(yb, 0, b), new Shape(b));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList pred = trainer.forward(new NDList(x));
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), pred));
                            }
                            trainer.step();
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("pytorch epoch %d: %.3f seconds, test accuracy %.4f%n", epoch, seconds, accuracy(trainer, testX, testY, example));
                }
            }
        }
    }

    private static Shape batchOf(long n, Shape example) { return new Shape(n).addAll(example); }

    /** Inference mode, in chunks of 1000 images. */
    private static double accuracy(Trainer trainer, float[] x, int[] y, Shape example) {
        int hits = 0, chunk = 1000, image = (int) example.size();
        for (int s = 0; s < y.length; s += chunk) {
            int b = Math.min(chunk, y.length - s);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray in = m.create(FloatBuffer.wrap(x, s * image, b * image).slice(), batchOf(b, example));
                long[] predicted = trainer.evaluate(new NDList(in)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < b; i++) if (predicted[i] == y[s + i]) hits++;
            }
        }
        return hits / (double) y.length;
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
