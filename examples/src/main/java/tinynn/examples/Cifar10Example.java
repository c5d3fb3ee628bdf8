package tinynn.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import tinynn.data.Cifar10;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Dropout;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.MaxPool2dLayer;
import tinynn.runtime.Tensor;
import tinynn.runtime.data.ImageAugmentation;
import tinynn.runtime.data.PrefetchingBatches;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * CIFAR-10 (32x32 colour photographs, 10 classes) with a small CNN: two blocks of (conv 3x3 - batch norm - ReLU) x2
 * then 2x2 max pooling, dropout, and a dense softmax layer, trained with Adam on augmented images (random crops of the
 * image zero-padded by 4 pixels, random left-right flips). The batches are gathered and augmented on a background
 * thread while the model trains on the previous one ({@link PrefetchingBatches}). Prints the test accuracy after
 * every epoch and writes {@code augmented.png}, the first training batch as the network sees it.
 *
 * <p>Data: the binary version of CIFAR-10 (https://www.cs.toronto.edu/~kriz/cifar.html), fetched into the cache and
 * checked against its published MD5 ({@code tinynn data cifar10}), or the six extracted .bin files in --data-dir. A
 * network of this size reaches roughly 75-85% on the real test set in a few dozen epochs; without the archive (a
 * machine with no internet) nothing here can say so. {@code --quick} runs a narrower net for three epochs on a
 * generated CIFAR-format toy set ({@link Cifar10Fixture}: colour and stripe direction decide the class) unless
 * --data-dir is given, and should reach well above 90% on it.
 */
public final class Cifar10Example implements Example {
    private static final int SIDE = Cifar10.SIDE, CHANNELS = Cifar10.CHANNELS;

    public static void main(String[] a) throws Exception { ExampleMain.run("cifar10", a); }

    @Override public String name() { return "cifar10"; }

    @Override public String summary() { return "CIFAR-10 with a small CNN: batch norm, dropout, augmentation (crop + flip), prefetching"; }

    @Override
    public ExampleResult run(ExampleContext ctx) throws IOException {
        boolean quick = ctx.quick();
        ExampleContext.Split data = load(ctx);
        ImageDataset trainSet = quick ? data.train().slice(0, Math.min(2000, data.train().count())) : data.train();
        ImageDataset testSet = quick ? data.test().slice(0, Math.min(500, data.test().count())) : data.test();
        // Pixels / 255 as [N, 3, 32, 32]: CIFAR's records are already channel-major, as NCHW wants.
        ImageTensors train = ImageTensors.of(trainSet, DType.F32).shaped(Shape.of(CHANNELS, SIDE, SIDE));
        ImageTensors test = ImageTensors.of(testSet, DType.F32).shaped(Shape.of(CHANNELS, SIDE, SIDE));
        ctx.log("%d training and %d test images of %dx%dx%d", train.size(), test.size(), CHANNELS, SIDE, SIDE);

        int width = quick ? 8 : 32; // channels of the first block; the second has twice as many
        Net net = new Net(
                conv(width), new BatchNorm(), Activation.relu(),
                conv(width), new BatchNorm(), Activation.relu(),
                new MaxPool2dLayer(2),
                conv(2 * width), new BatchNorm(), Activation.relu(),
                conv(2 * width), new BatchNorm(), Activation.relu(),
                new MaxPool2dLayer(2),
                new Flatten(), new Dropout(0.3), new Dense(Cifar10.CLASSES));
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(quick ? 3e-3 : 1e-3), ctx.backend(), DType.F32, ctx.seed());

        int epochs = ctx.epochs(30, 3), batchSize = quick ? 32 : 128;
        ImageAugmentation augment = ImageAugmentation.cropAndFlip(CHANNELS, SIDE, SIDE, 4, ctx.seed());
        ExampleResult result = new ExampleResult();
        double accuracy = 0, seconds = 0;
        float[] firstBatch = null;
        try (PrefetchingBatches batches = new PrefetchingBatches(new BatchIterator(batchSize, true, ctx.seed()), augment)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long t0 = System.nanoTime();
                double lossSum = 0;
                int steps = 0;
                for (Batch b : batches.over(train.inputs(), train.targets())) {
                    if (firstBatch == null) firstBatch = b.inputs().f32().clone(); // batches are reused: copy to keep
                    lossSum += model.trainStep(b.inputs(), b.targets());
                    steps++;
                }
                seconds = (System.nanoTime() - t0) / 1e9;
                accuracy = accuracy(model, test);
                ctx.log("epoch %d  train loss %.4f  test accuracy %.4f  (%.1f s training)", epoch, lossSum / steps, accuracy, seconds);
            }
        }
        result.metric("test_accuracy", accuracy).metric("epoch_seconds", seconds);
        result.file(ctx.write("augmented.png", ImageGrid.rgb(firstBatch, 0, Math.min(32, batchSize), SIDE, SIDE, 8, 0, 1)));
        return result;
    }

    /** --data-dir as it is (or fetched into it); --quick without it generates the toy set; else the cache. */
    private static ExampleContext.Split load(ExampleContext ctx) throws IOException {
        if (ctx.options().dataDir() == null && ctx.quick()) {
            Path dir = Cifar10Fixture.write(ctx.outDir().resolve("fixture"), 2000, 500, 7);
            ctx.log("data: generated CIFAR-format toy set in %s (not CIFAR-10: colour and stripes decide the class)", dir);
            return new ExampleContext.Split(DatasetSpec.CIFAR10.train(dir), DatasetSpec.CIFAR10.test(dir));
        }
        return ctx.images(DatasetSpec.CIFAR10);
    }

    private static Conv2dLayer conv(int out) { return new Conv2dLayer(out, 3, 1, ConvPadding.SAME); }

    /** Fraction of test images whose most likely class is their label, predicted 250 at a time to bound memory. */
    private static double accuracy(Model model, ImageTensors test) {
        int per = CHANNELS * SIDE * SIDE, correct = 0;
        float[] all = test.inputs().f32();
        for (int from = 0; from < test.size(); from += 250) {
            int n = Math.min(250, test.size() - from);
            Tensor x = Tensor.wrap(Shape.of(n, CHANNELS, SIDE, SIDE), Arrays.copyOfRange(all, from * per, (from + n) * per));
            int[] predicted = model.predict(x).argmaxRows();
            for (int i = 0; i < n; i++) if (predicted[i] == test.labels()[from + i]) correct++;
        }
        return (double) correct / test.size();
    }
}
