package tinynn.examples;

import java.io.IOException;
import java.util.Set;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.MaxPool2dLayer;
import tinynn.ops.nn.Recurrent;
import tinynn.runtime.metrics.Classification;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;

/**
 * MNIST digits with one of three networks ({@code --arch}), each trained with Adam (lr 1e-3), batch 128 and softmax
 * cross-entropy:
 * <ul>
 *   <li>{@code mlp} (default): the article's 784-400-100-10 ReLU net on flat [N, 784] images. Expect about 0.98
 *       test accuracy after 20 epochs.</li>
 *   <li>{@code lenet5}: LeNet-5 as {@code tinynn train --arch lenet5} builds it, on [N, 1, 28, 28] images. Expect
 *       about 0.99 after 10 epochs.</li>
 *   <li>{@code lstm}: an LSTM(128) reading the 28 rows of an image as 28 time steps ([N, 28, 28]), its last hidden
 *       state into a dense layer, as {@code tinynn train --arch lstm}. Expect about 0.975 after 5 epochs.</li>
 * </ul>
 * The three differ only in their layers and in the shape of an input; the data, the loss, the optimizer and the
 * {@link Trainer} loop are the same. Reports the accuracy on the whole test set and the median training time of an
 * epoch (without the scoring). {@code --quick} trains 2 epochs on at most {@value #QUICK_TRAIN} training images and scores on at most
 * {@value #QUICK_TEST} test images. {@link MnistMlp} is the article's script of the mlp alone, with its own options.
 */
public final class MnistExample implements Example {
    static final int QUICK_TRAIN = 4000, QUICK_TEST = 1000;
    private static final int BATCH = 128, CLASSES = 10;
    private static final double LR = 1e-3;

    public static void main(String[] args) throws Exception { ExampleMain.run("mnist", args); }

    @Override public String name() { return "mnist"; }

    @Override public String summary() { return "MNIST digits with --arch mlp (default), lenet5 or lstm: test accuracy and epoch time"; }

    @Override public Set<String> options() { return Set.of("arch"); }

    @Override
    public ExampleResult run(ExampleContext ctx) throws IOException {
        String arch = ctx.options().arch() != null ? ctx.options().arch() : "mlp";
        Net net = switch (arch) {
            case "mlp" -> mlp();
            case "lenet5" -> lenet5();
            case "lstm" -> lstm();
            default -> throw new IllegalArgumentException("--arch: unknown network '" + arch + "'; use mlp, lenet5 or lstm");
        };
        // The same pixels in the shape each network reads: a row of 784, a 1-channel 28x28 picture, or 28 steps of 28.
        Shape example = switch (arch) {
            case "lenet5" -> Shape.of(1, 28, 28);
            case "lstm" -> Shape.of(28, 28);
            default -> Shape.of(784);
        };

        ExampleContext.Split data = ctx.images(DatasetSpec.MNIST);
        ImageDataset trainSet = data.train(), testSet = data.test();
        if (ctx.quick()) {
            trainSet = trainSet.slice(0, Math.min(QUICK_TRAIN, trainSet.count()));
            testSet = testSet.slice(0, Math.min(QUICK_TEST, testSet.count()));
        }
        ImageTensors train = ImageTensors.of(trainSet, DType.F32).shaped(example);
        ImageTensors test = ImageTensors.of(testSet, DType.F32).shaped(example);
        ctx.log("mnist --arch %s: %d training and %d test images, each %s", arch, train.size(), test.size(), example);

        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(LR), ctx.backend(), DType.F32, ctx.seed());
        Trainer trainer = new Trainer(model, BATCH);
        int epochs = ctx.epochs(defaultEpochs(arch), 2);
        double[] seconds = new double[epochs];
        double accuracy = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            // One epoch per call (the trainer continues from the model's epoch count), so that the time measured is
            // training alone and the test set is scored outside it.
            long t0 = System.nanoTime();
            Outcome outcome = trainer.run(train.inputs(), train.targets(), epoch);
            seconds[epoch - 1] = (System.nanoTime() - t0) / 1e9;
            if (!(outcome instanceof Outcome.Completed)) throw new IllegalStateException("mnist --arch " + arch + ": training ended early: " + outcome);
            accuracy = accuracy(model, test);
            ctx.log("epoch %d/%d  train loss %.4f  test accuracy %.4f  (%.2f s)", epoch, epochs,
                    model.history().getLast().trainLoss(), accuracy, seconds[epoch - 1]);
        }
        return new ExampleResult().metric("test_accuracy", accuracy).metric("epoch_seconds", median(seconds));
    }

    /** The middle epoch time: the first epoch also compiles the plan and warms up the JIT, so a mean would overstate. */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The article's net: 784-400-100-10 with ReLU. */
    static Net mlp() {
        return new Net(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, CLASSES));
    }

    /**
     * LeNet-5 as PyTorch users write it today: conv 6@5x5 "same", ReLU, max-pool 2, conv 16@5x5 "valid", ReLU,
     * max-pool 2, flatten, dense 120, ReLU, dense 84, ReLU, dense 10. A Dense without an input size takes it from
     * the layer before.
     */
    static Net lenet5() {
        return new Net(
                new Conv2dLayer(6, 5, 1, ConvPadding.SAME), Activation.relu(), new MaxPool2dLayer(2),
                new Conv2dLayer(16, 5, 1, ConvPadding.VALID), Activation.relu(), new MaxPool2dLayer(2),
                new Flatten(),
                new Dense(120), Activation.relu(),
                new Dense(84), Activation.relu(),
                new Dense(CLASSES));
    }

    /** LSTM(128) over the image's rows, returning only its last hidden state, then dense to the 10 classes. */
    static Net lstm() {
        return new Net(Recurrent.lstm(128, false, false), new Dense(CLASSES));
    }

    /** The epochs of the README's recipes: the article's 20 for the mlp, 10 for LeNet-5, 5 for the slower LSTM. */
    private static int defaultEpochs(String arch) {
        return switch (arch) {
            case "lenet5" -> 10;
            case "lstm" -> 5;
            default -> 20;
        };
    }

    /**
     * Accuracy on every test image, predicted 1000 at a time (an LSTM's buffers for all 10,000 at once would take
     * hundreds of megabytes).
     */
    static double accuracy(Model model, ImageTensors test) {
        int[] predicted = new int[test.size()];
        int at = 0;
        for (Batch b : new BatchIterator(1000, false, 0).over(test.inputs(), test.targets())) {
            int[] p = model.predict(b.inputs()).argmaxRows();
            System.arraycopy(p, 0, predicted, at, p.length);
            at += p.length;
        }
        return Classification.accuracy(test.labels(), predicted);
    }
}
