package tinynn.bench.torch;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
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
 * The sequence benchmark with PyTorch CPU through DJL, the reference for bench/lstm-compare.sh: an LSTM(128)
 * reading each MNIST image as 28 time steps of one 28-pixel row (batch first, [N, 28, 28]), its last hidden state into
 * dense 10; softmax cross entropy; Adam 1e-3; batch 128 with the last partial batch kept; shuffled each epoch; float32.
 * The LSTM is DJL's {@link LSTM} block, which runs libtorch's fused {@code torch::lstm} (one call per batch, its own
 * backward through time). Weights Xavier-uniform, biases zero except the forget gate's slice of one bias, which is 1
 * as in tinynn's lstm layer (tinynn's recurrent weights start orthogonal; that changes accuracy a little, not time).
 *
 * <p>Usage: {@code LstmTorch [--epochs N] [--threads T] [--data DIR] [--seed S]}; output and threads as {@link LeNetTorch}:
 * one line per epoch, {@code pytorch epoch E: S seconds, test accuracy A}, the time covering the training steps only.
 */
public final class LstmTorch {
    private static final int BATCH = 128, STEPS = 28, FEATURES = 28, HIDDEN = 128;

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
                default -> throw new IllegalArgumentException("LstmTorch: unknown argument " + args[i] + "; use --epochs N --threads T --data DIR --seed S");
            }
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        float[] trainX = Idx.read(data.resolve("train-images-idx3-ubyte")).pixels();
        int[] trainY = Idx.read(data.resolve("train-labels-idx1-ubyte")).labels();
        float[] testX = Idx.read(data.resolve("t10k-images-idx3-ubyte")).pixels();
        int[] testY = Idx.read(data.resolve("t10k-labels-idx1-ubyte")).labels();
        int image = STEPS * FEATURES;

        try (Model model = Model.newInstance("lstm-mnist-rows", "PyTorch")) {
            model.setBlock(net());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                model.getNDManager().getEngine().setRandomSeed((int) seed);
                trainer.initialize(new Shape(BATCH, STEPS, FEATURES));
                forgetBiasOne(model);
                System.out.println("pytorch " + model.getNDManager().getEngine().getVersion() + " via DJL, threads: intra-op "
                        + JniUtils.getNumThreads() + ", inter-op " + JniUtils.getNumInteropThreads());
                int n = trainY.length;
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Random rng = new Random(seed);
                float[] xb = new float[BATCH * image];
                float[] yb = new float[BATCH];
                for (int epoch = 0; epoch < epochs; epoch++) {
                    LeNetTorch.shuffle(order, rng);
                    long start = System.nanoTime();
                    for (int s = 0; s < n; s += BATCH) {
                        int b = Math.min(BATCH, n - s);
                        for (int r = 0; r < b; r++) {
                            System.arraycopy(trainX, order[s + r] * image, xb, r * image, image);
                            yb[r] = trainY[order[s + r]];
                        }
                        try (NDManager step = trainer.getManager().newSubManager()) {
                            NDArray x = step.create(FloatBuffer.wrap(xb, 0, b * image), new Shape(b, STEPS, FEATURES));
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

    /** LSTM(128) over [N, T, F] (batch first), the hidden state at the last step, dense 10. */
    static SequentialBlock net() {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(HIDDEN).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(LambdaBlock.singleton(h -> h.get(new NDIndex(":, -1, :")), "last_step"))
                .add(Linear.builder().setUnits(10).build());
    }

    /**
     * Sets the forget gate's slice [H, 2H) of the input-to-hidden bias to 1 (libtorch's gate order is i, f, g, o and it
     * adds its two biases, so one of them carries tinynn's single bias).
     */
    static void forgetBiasOne(Model model) {
        for (var p : model.getBlock().getParameters()) {
            Parameter param = p.getValue();
            if (param.getType() == Parameter.Type.BIAS && param.getShape().get(0) == 4L * HIDDEN && p.getKey().contains("i2h")) {
                param.getArray().set(new NDIndex(HIDDEN + ":" + 2 * HIDDEN), 1f);
                return;
            }
        }
        throw new IllegalStateException("LstmTorch: no input-to-hidden bias of size " + 4 * HIDDEN + " among the LSTM block's parameters");
    }

    /** Inference mode, in chunks of 1000 images. */
    static double accuracy(Trainer trainer, float[] x, int[] y) {
        int hits = 0, chunk = 1000, image = STEPS * FEATURES;
        for (int s = 0; s < y.length; s += chunk) {
            int b = Math.min(chunk, y.length - s);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray in = m.create(FloatBuffer.wrap(x, s * image, b * image).slice(), new Shape(b, STEPS, FEATURES));
                long[] predicted = trainer.evaluate(new NDList(in)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < b; i++) if (predicted[i] == y[s + i]) hits++;
            }
        }
        return hits / (double) y.length;
    }
}
