package tinynn.bench.torch;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
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

/**
 * LeNet-5 on MNIST with PyTorch CPU through DJL, the reference for bench/lenet-compare.sh: the net, optimizer,
 * batch size and batch order rules of tinynn's {@code --arch lenet5} (conv 6@5×5 same, ReLU, max-pool 2,
 * conv 16@5×5 valid, ReLU, max-pool 2, flatten, dense 120, 84, 10; Xavier-uniform weights, zero biases;
 * softmax cross entropy; Adam 1e-3; batch 128 with the last partial batch kept; shuffled each epoch; float32 NCHW).
 *
 * <p>Usage: {@code LeNetTorch [--epochs N] [--threads T] [--data DIR] [--seed S]}. Prints one line per epoch:
 * {@code pytorch epoch E: S seconds, test accuracy A}; the time covers the training steps only (batch assembly
 * included, evaluation not). Threads: PyTorch's intra-op pool is set to T and its inter-op pool to 1 through DJL's
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, read when the engine starts.
 */
public final class LeNetTorch {
    private static final int BATCH = 128;

    public static void main(String[] args) throws Exception {
        int epochs = 1, threads = Runtime.getRuntime().availableProcessors();
        long seed = 31;
        Path data = Path.of(System.getProperty("user.home"), ".cache", "tinynn", "mnist");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("LeNetTorch: unknown argument " + args[i] + "; use --epochs N --threads T --data DIR --seed S");
            }
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        float[] trainX = Idx.read(data.resolve("train-images-idx3-ubyte")).pixels();
        int[] trainY = Idx.read(data.resolve("train-labels-idx1-ubyte")).labels();
        float[] testX = Idx.read(data.resolve("t10k-images-idx3-ubyte")).pixels();
        int[] testY = Idx.read(data.resolve("t10k-labels-idx1-ubyte")).labels();

        try (Model model = Model.newInstance("lenet5", "PyTorch")) {
            model.setBlock(lenet5());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                model.getNDManager().getEngine().setRandomSeed((int) seed);
                trainer.initialize(new Shape(BATCH, 1, 28, 28));
                System.out.println("pytorch " + model.getNDManager().getEngine().getVersion() + " via DJL, threads: intra-op "
                        + JniUtils.getNumThreads() + ", inter-op " + JniUtils.getNumInteropThreads());
                int n = trainY.length;
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Random rng = new Random(seed);
                float[] xb = new float[BATCH * 784];
                float[] yb = new float[BATCH];
                for (int epoch = 0; epoch < epochs; epoch++) {
                    shuffle(order, rng);
                    long start = System.nanoTime();
                    for (int s = 0; s < n; s += BATCH) {
                        int b = Math.min(BATCH, n - s);
                        for (int r = 0; r < b; r++) {
                            System.arraycopy(trainX, order[s + r] * 784, xb, r * 784, 784);
                            yb[r] = trainY[order[s + r]];
                        }
                        try (NDManager step = trainer.getManager().newSubManager()) {
                            NDArray x = step.create(FloatBuffer.wrap(xb, 0, b * 784), new Shape(b, 1, 28, 28));
                            NDArray y = step.create(FloatBuffer.wrap(yb, 0, b), new Shape(b));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList pred = trainer.forward(new NDList(x));
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), pred));
                            }
                            trainer.step();
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("pytorch epoch %d: %.3f seconds, test accuracy %.4f%n", epoch, seconds, accuracy(trainer, testX, testY));
                }
            }
        }
    }

    static SequentialBlock lenet5() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(6).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(84).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    /** Inference mode, in chunks of 1000 images. */
    static double accuracy(Trainer trainer, float[] x, int[] y) {
        int hits = 0, chunk = 1000;
        for (int s = 0; s < y.length; s += chunk) {
            int b = Math.min(chunk, y.length - s);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray in = m.create(FloatBuffer.wrap(x, s * 784, b * 784).slice(), new Shape(b, 1, 28, 28));
                long[] predicted = trainer.evaluate(new NDList(in)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < b; i++) if (predicted[i] == y[s + i]) hits++;
            }
        }
        return hits / (double) y.length;
    }

    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
