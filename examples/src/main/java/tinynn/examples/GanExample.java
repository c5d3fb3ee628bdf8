package tinynn.examples;

import java.io.IOException;
import java.util.Random;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.ConvTranspose2dLayer;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.ReshapeLayer;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * A DCGAN on MNIST: two networks trained against each other. The generator turns 64 random numbers into a digit
 * (dense → [64, 7, 7] → conv_transpose2d stride 2 → [32, 14, 14] → batch norm → ReLU → conv_transpose2d stride 2
 * → sigmoid → [1, 28, 28]); the discriminator tells real digits from generated ones (conv stride 2 → LeakyReLU(0.2)
 * → conv stride 2 → LeakyReLU(0.2) → dense → one logit, sigmoid cross entropy). Each has its own Adam with
 * PyTorch's DCGAN settings (lr 2e-4, β1 = 0.5). One step:
 *
 * <pre>
 *   fake = generator.forward(z)
 *   discriminator.trainStep([real; fake], [1…1; 0…0])             // learns to tell them apart
 *   logits = discriminator.forward(fake)
 *   discriminator.backward(logits, [1…1])                           // "call them real": not applied to D
 *   generator.applyGrad(generator.backward(fake, discriminator.inputGradient()))   // G's loss is Losses.dot()
 * </pre>
 *
 * The generator never sees a digit: it learns only through the discriminator's input gradient, with the
 * non-saturating loss (targets 1 for its fakes). Results: {@code d_loss} (mean cross entropy over the real+fake
 * batch; ln 2 = 0.69 is a discriminator that cannot tell) and {@code g_loss} of the last epoch; pictures
 * {@code samples-epoch-N.png}, 64 samples from the same fixed z after each epoch (epoch 0 is the untrained
 * generator), drawn by {@link Model#predict} (inference mode: the batch norms use their running statistics).
 *
 * <p>How good are the samples? Losses do not say (the two nets chase each other), and distances in pixels reward a
 * blur (the average digit is nearer to real digits than real digits are to each other), so this example trains a
 * small digit classifier (784-128-10) on the real training digits and reports the Inception score of 256 samples
 * under it, {@code sample_score} = exp(mean KL(p(digit | sample) ‖ p(digit))): high when each sample is confidently
 * one digit AND the samples cover many digits; 1 for noise the classifier cannot place, or for a generator that
 * collapsed onto one digit; at most 10. Next to it {@code initial_sample_score} (the untrained generator),
 * {@code real_score} (256 real test digits: the ceiling) and {@code classifier_accuracy} (its test accuracy, to
 * show it can be trusted). A classifier can be fooled by images that are no digits at all, so look at the
 * pictures too. A coarser check, which the quick run's few steps already pass: {@code prototype_distance}, the
 * mean distance (root mean square per pixel) from the samples to the nearest class-mean image, against
 * {@code initial_prototype_distance} (the untrained generator's mid-grey is far from every class mean) and
 * {@code real_prototype_distance} (real test digits); it shows the generator learned the data's overall look (a
 * dark background, brightness where the data has it), not that it draws digits (a blur can score well).
 * {@code --quick} trains 3 epochs on the first 2,000 training images (about 100 steps, seconds): enough for that
 * coarse check, not for digits, which take about a thousand steps (one epoch of MNIST) to appear.
 */
public final class GanExample implements Example {
    static final int Z = 64, BATCH = 64, SIDE = 28, PIXELS = SIDE * SIDE;
    /** Samples per picture (8×8) and samples measured against the real digits. */
    static final int SHOWN = 64, MEASURED = 256;

    public static void main(String[] args) throws Exception { ExampleMain.run("gan", args); }

    public String name() { return "gan"; }

    public String summary() { return "DCGAN on MNIST with conv_transpose2d: generator and discriminator, two Adams with beta1 = 0.5"; }

    public ExampleResult run(ExampleContext ctx) throws IOException {
        ExampleContext.Split data = ctx.images(DatasetSpec.MNIST);
        // The quick run: the first 2,000 training images.
        ImageDataset trainSet = ctx.quick() ? data.train().slice(0, Math.min(2000, data.train().count())) : data.train();
        float[] real = pixels(trainSet);
        int n = trainSet.count(), epochs = ctx.epochs(5, 3);
        ctx.log("gan: %d training images, batch %d, z of %d, %d epochs", n, BATCH, Z, epochs);

        Model generator = new Model(new Net(
                new Dense(Z, 64 * 7 * 7), new ReshapeLayer(new int[] {64, 7, 7}), new BatchNorm(), Activation.relu(),
                new ConvTranspose2dLayer(32, 4, 2, ConvPadding.explicit(1, 1, 1, 1)), new BatchNorm(), Activation.relu(),
                new ConvTranspose2dLayer(1, 4, 2, ConvPadding.explicit(1, 1, 1, 1)), Activation.sigmoid()),
                Losses.dot(), dcganAdam(), ctx.backend(), DType.F32, ctx.seed());
        Model discriminator = new Model(new Net(
                new Conv2dLayer(32, 4, 2, ConvPadding.explicit(1, 1, 1, 1)), Activation.leakyRelu(0.2),
                new Conv2dLayer(64, 4, 2, ConvPadding.explicit(1, 1, 1, 1)), Activation.leakyRelu(0.2),
                new Flatten(), new Dense(1)),
                Losses.sigmoidCrossEntropy(), dcganAdam(), ctx.backend(), DType.F32, ctx.seed() + 1).withInputGradient();

        Random rng = new Random(ctx.seed());
        Tensor fixedZ = gaussian(SHOWN, rng), measuredZ = gaussian(MEASURED, rng);
        DigitScore scorer = new DigitScore(ctx, real, trainSet, ctx.quick() ? 5 : 2);
        ImageDataset testSet = data.test().slice(0, Math.min(MEASURED, data.test().count()));
        double accuracy = scorer.accuracy(testSet), realScore = scorer.score(Tensor.wrap(Shape.of(testSet.count(), PIXELS), pixels(testSet)));
        double initialScore = scorer.score(generator.predict(measuredZ));
        ctx.log("digit classifier: test accuracy %.4f; score of real test digits %.2f, of the untrained generator's samples %.2f",
                accuracy, realScore, initialScore);
        float[] prototypes = classMeans(real, trainSet);
        double initialDistance = prototypeDistance(generator.predict(measuredZ), prototypes);
        double realDistance = prototypeDistance(Tensor.wrap(Shape.of(testSet.count(), PIXELS), pixels(testSet)), prototypes);

        ExampleResult result = new ExampleResult();
        result.file(ctx.write("samples-epoch-0.png", grid(generator.predict(fixedZ))));
        Tensor z = Tensor.zeros(DType.F32, Shape.of(BATCH, Z)), both = Tensor.zeros(DType.F32, Shape.of(2 * BATCH, 1, SIDE, SIDE));
        Tensor bothTargets = Tensor.zeros(DType.F32, Shape.of(2 * BATCH, 1)), ones = Tensor.zeros(DType.F32, Shape.of(BATCH, 1));
        for (int b = 0; b < BATCH; b++) bothTargets.set(b, 1);  // real first, then fakes (0)
        java.util.Arrays.fill(ones.f32(), 1);
        int steps = n / BATCH;
        double dLoss = 0, gLoss = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            int[] order = AutoencoderExample.permutation(n, rng);
            dLoss = gLoss = 0;
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < z.size(); i++) z.f32()[i] = (float) rng.nextGaussian();
                Tensor fake = generator.forward(z);

                // The discriminator: a batch of real digits and the generator's fakes.
                for (int b = 0; b < BATCH; b++) System.arraycopy(real, order[s * BATCH + b] * PIXELS, both.f32(), b * PIXELS, PIXELS);
                System.arraycopy(fake.f32(), 0, both.f32(), BATCH * PIXELS, BATCH * PIXELS);
                dLoss += discriminator.trainStep(both, bothTargets);

                // The generator: d(loss of "these fakes are real")/d(fake) from the discriminator, without updating it.
                Tensor logits = discriminator.forward(fake);
                gLoss += discriminator.backward(logits, ones).loss();
                generator.applyGrad(generator.backward(fake, discriminator.inputGradient()));
            }
            dLoss /= steps;
            gLoss /= steps;
            result.file(ctx.write("samples-epoch-" + epoch + ".png", grid(generator.predict(fixedZ))));
            ctx.log("epoch %d  d_loss %.4f  g_loss %.4f  (%.1f s)", epoch, dLoss, gLoss, (System.nanoTime() - start) / 1e9);
        }

        Tensor samples = generator.predict(measuredZ);
        double score = scorer.score(samples), distance = prototypeDistance(samples, prototypes);
        ctx.log("samples: score %.2f (untrained %.2f, real digits %.2f); distance to the nearest class mean %.4f (untrained %.4f, real digits %.4f)",
                score, initialScore, realScore, distance, initialDistance, realDistance);
        return result.metric("d_loss", dLoss).metric("g_loss", gLoss).metric("sample_score", score)
                .metric("initial_sample_score", initialScore).metric("real_score", realScore).metric("classifier_accuracy", accuracy)
                .metric("prototype_distance", distance).metric("initial_prototype_distance", initialDistance)
                .metric("real_prototype_distance", realDistance);
    }

    /** PyTorch's DCGAN optimizer: Adam with lr 2e-4 and β1 = 0.5 (a shorter gradient memory for a moving target). */
    static Adam dcganAdam() { return new Adam(2e-4, 0.5, 0.999, 1e-8, 0); }

    /** {@code count} vectors z ~ N(0, 1). */
    static Tensor gaussian(int count, Random rng) {
        Tensor t = Tensor.zeros(DType.F32, Shape.of(count, Z));
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextGaussian());
        return t;
    }

    static byte[] grid(Tensor images) { return ImageGrid.grey(images.f32(), 0, SHOWN, SIDE, SIDE, 8, 0, 1); }

    static float[] pixels(ImageDataset d) {
        float[] p = new float[d.count() * PIXELS];
        d.features(0, d.count(), p, 0);
        return p;
    }

    /** The mean image of each class: the "prototypes" of the coarse check in the class comment. */
    static float[] classMeans(float[] images, ImageDataset labelled) {
        float[] sum = new float[10 * PIXELS];
        int[] count = new int[10];
        for (int i = 0; i < labelled.count(); i++) {
            int c = labelled.label(i);
            count[c]++;
            for (int p = 0; p < PIXELS; p++) sum[c * PIXELS + p] += images[i * PIXELS + p];
        }
        for (int i = 0; i < sum.length; i++) sum[i] /= Math.max(1, count[i / PIXELS]);
        return sum;
    }

    /** Mean over the images of the root mean square per pixel to the nearest of the ten class means. */
    static double prototypeDistance(Tensor images, float[] prototypes) {
        int n = images.shape().dim(0);
        float[] x = images.f32();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double d = 0;
                for (int p = 0; p < PIXELS; p++) {
                    double e = x[i * PIXELS + p] - prototypes[c * PIXELS + p];
                    d += e * e;
                }
                best = Math.min(best, d);
            }
            total += Math.sqrt(best / PIXELS);
        }
        return total / n;
    }

    /**
     * The sample-quality number described in the class comment: a small classifier (784-128-10 MLP) trained here on
     * the real training digits, then the Inception score of its predictions p(y|x) over a batch of images,
     * exp(mean over x of KL(p(y|x) ‖ p(y))), p(y) being the batch's mean prediction.
     */
    static final class DigitScore {
        final Model classifier;

        DigitScore(ExampleContext ctx, float[] real, ImageDataset labelled, int epochs) {
            int n = labelled.count(), batch = 128;
            classifier = new Model(new Net(new Dense(PIXELS, 128), Activation.relu(), new Dense(128, 10)),
                    Losses.softmaxCrossEntropy(), new Adam(1e-3), ctx.backend(), DType.F32, ctx.seed() + 2);
            Tensor x = Tensor.zeros(DType.F32, Shape.of(batch, PIXELS)), y = Tensor.zeros(DType.F32, Shape.of(batch, 10));
            Random rng = new Random(ctx.seed() + 2);
            for (int e = 0; e < epochs; e++) {
                int[] order = AutoencoderExample.permutation(n, rng);
                for (int s = 0; s + batch <= n; s += batch) {
                    java.util.Arrays.fill(y.f32(), 0);
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(real, order[s + b] * PIXELS, x.f32(), b * PIXELS, PIXELS);
                        y.f32()[b * 10 + labelled.label(order[s + b])] = 1;
                    }
                    classifier.trainStep(x, y);
                }
            }
        }

        /** The classifier's accuracy on a labelled set (to show it can be trusted). */
        double accuracy(ImageDataset d) {
            float[] px = pixels(d);
            int[] predicted = classifier.predict(Tensor.wrap(Shape.of(d.count(), PIXELS), px)).argmaxRows();
            int right = 0;
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == d.label(i)) right++;
            return (double) right / predicted.length;
        }

        /** The Inception score of {@code images} ([N, 1, 28, 28] or [N, 784]): 1 for one class or no confidence, 10 at best. */
        double score(Tensor images) {
            int n = images.shape().dim(0);
            Tensor logits = classifier.predict(images.view(Shape.of(n, PIXELS)));
            double[][] p = new double[n][10];
            double[] marginal = new double[10];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < 10; c++) max = Math.max(max, logits.get(i * 10 + c));
                for (int c = 0; c < 10; c++) sum += p[i][c] = Math.exp(logits.get(i * 10 + c) - max);
                for (int c = 0; c < 10; c++) marginal[c] += (p[i][c] /= sum) / n;
            }
            double kl = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 10; c++) if (p[i][c] > 0) kl += p[i][c] * Math.log(p[i][c] / marginal[c]) / n;
            }
            return Math.exp(kl);
        }
    }
}
