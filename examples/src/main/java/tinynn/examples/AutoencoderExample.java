package tinynn.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * A denoising autoencoder on MNIST built from two networks: an encoder (784-256-64) squeezes a noisy digit into 64
 * numbers, a decoder (64-256-784, sigmoid output) draws the clean digit back from them. Only the decoder sees the
 * loss (half the squared error against the clean image, {@link Losses#mse()}); the encoder learns through the
 * decoder's input gradient, d(loss)/d(code), which it takes as the targets of {@link Losses#dot()}:
 *
 * <pre>
 *   code = encoder.forward(noisy)
 *   decoder.trainStep(code, clean)                               // decoder with input gradient on
 *   encoder.applyGrad(encoder.backward(code, decoder.inputGradient()))
 * </pre>
 *
 * The noise is the Keras tutorial's: pixel + 0.5·N(0, 1), clipped to [0, 1], drawn anew every epoch. Results:
 * {@code reconstruction_loss}, the mean squared error per pixel between the reconstructions of the noisy test set
 * and the clean images, next to {@code noisy_loss}, the same for the noisy images themselves (what doing nothing
 * scores, about 0.12); ten epochs on MNIST reach about 0.016. Pictures: {@code denoised.png}, rows of noisy, clean
 * and reconstructed test digits. Both models are saved ({@code encoder.tnn}, {@code decoder.tnn}), loaded back
 * and checked to reconstruct the test set exactly as before ({@code reload_max_difference} = 0). {@code --quick}
 * trains 40 short epochs on the first 2,000 training images (seconds) and tests on 500.
 */
public final class AutoencoderExample implements Example {
    static final int PIXELS = 28 * 28, CODE = 64, BATCH = 128;
    static final float NOISE = 0.5f;
    /** Test digits shown per row of the picture. */
    static final int SHOWN = 10;

    public static void main(String[] args) throws Exception { ExampleMain.run("autoencoder", args); }

    public String name() { return "autoencoder"; }

    public String summary() { return "denoising autoencoder on MNIST: encoder and decoder nets chained by the input gradient; saves and reloads both"; }

    public ExampleResult run(ExampleContext ctx) throws IOException {
        ExampleContext.Split data = ctx.images(DatasetSpec.MNIST);
        // The quick run: the first 2,000 training and 500 test images.
        ImageTensors train = ImageTensors.of(ctx.quick() ? first(data.train(), 2000) : data.train(), DType.F32);
        ImageTensors test = ImageTensors.of(ctx.quick() ? first(data.test(), 500) : data.test(), DType.F32);
        int epochs = ctx.epochs(10, 40);
        ctx.log("autoencoder: %d training, %d test images, noise 0.5·N(0,1) clipped, %d epochs", train.size(), test.size(), epochs);

        Model encoder = new Model(new Net(new Dense(PIXELS, 256), Activation.relu(), new Dense(256, CODE), Activation.relu()),
                Losses.dot(), new Adam(1e-3), ctx.backend(), DType.F32, ctx.seed());
        Model decoder = new Model(new Net(new Dense(CODE, 256), Activation.relu(), new Dense(256, PIXELS), Activation.sigmoid()),
                Losses.mse(), new Adam(1e-3), ctx.backend(), DType.F32, ctx.seed() + 1).withInputGradient();

        Random rng = new Random(ctx.seed());
        Tensor clean = Tensor.zeros(DType.F32, Shape.of(BATCH, PIXELS)), noisy = Tensor.zeros(DType.F32, Shape.of(BATCH, PIXELS));
        float[] x = train.inputs().f32();
        int steps = train.size() / BATCH;  // the last partial batch is left out, so every step has the same shape
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            int[] order = permutation(train.size(), rng);
            double lossSum = 0;
            for (int s = 0; s < steps; s++) {
                for (int b = 0; b < BATCH; b++) System.arraycopy(x, order[s * BATCH + b] * PIXELS, clean.f32(), b * PIXELS, PIXELS);
                addNoise(clean, noisy, rng);
                Tensor code = encoder.forward(noisy);
                lossSum += decoder.trainStep(code, clean);
                // The decoder's d(loss)/d(code) is the encoder's upstream gradient.
                encoder.applyGrad(encoder.backward(code, decoder.inputGradient()));
            }
            ctx.log("epoch %d  train loss %.4f  (%.1f s)", epoch, lossSum / steps, (System.nanoTime() - start) / 1e9);
        }

        Tensor noisyTest = Tensor.zeros(DType.F32, test.inputs().shape());
        addNoise(test.inputs(), noisyTest, new Random(ctx.seed() + 7));
        Tensor restored = reconstruct(encoder, decoder, noisyTest);
        double loss = meanSquaredError(restored, test.inputs()), baseline = meanSquaredError(noisyTest, test.inputs());
        ctx.log("test: reconstruction MSE %.4f per pixel, noisy input %.4f", loss, baseline);

        Path encoderFile = ctx.outDir().resolve("encoder.tnn"), decoderFile = ctx.outDir().resolve("decoder.tnn");
        encoder.save(encoderFile);
        decoder.save(decoderFile);
        Tensor reloaded = reconstruct(Model.load(encoderFile, ctx.backend()), Model.load(decoderFile, ctx.backend()), noisyTest);
        double reloadDiff = maxAbsDifference(restored, reloaded);
        ctx.log("saved and reloaded: largest difference of the reconstructions %.3g", reloadDiff);

        int shown = Math.min(SHOWN, test.size());
        float[] rows = new float[3 * shown * PIXELS];
        System.arraycopy(noisyTest.f32(), 0, rows, 0, shown * PIXELS);
        System.arraycopy(test.inputs().f32(), 0, rows, shown * PIXELS, shown * PIXELS);
        System.arraycopy(restored.f32(), 0, rows, 2 * shown * PIXELS, shown * PIXELS);
        Path picture = ctx.write("denoised.png", ImageGrid.grey(rows, 0, 3 * shown, 28, 28, shown, 0, 1));

        return new ExampleResult().metric("reconstruction_loss", loss).metric("noisy_loss", baseline)
                .metric("reload_max_difference", reloadDiff).file(picture).file(encoderFile).file(decoderFile);
    }

    /** The decoder's picture of the encoder's code for each image, in inference mode; a copy, as predict reuses its buffer. */
    static Tensor reconstruct(Model encoder, Model decoder, Tensor images) {
        return decoder.predict(encoder.predict(images)).copy();
    }

    /** noisy = clip(clean + NOISE·N(0, 1), 0, 1), elementwise. */
    static void addNoise(Tensor clean, Tensor noisy, Random rng) {
        float[] c = clean.f32(), n = noisy.f32();
        for (int i = 0; i < c.length; i++) n[i] = Math.clamp(c[i] + NOISE * (float) rng.nextGaussian(), 0f, 1f);
    }

    static double meanSquaredError(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += Math.pow(a.get(i) - b.get(i), 2);
        return s / a.size();
    }

    static double maxAbsDifference(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
        return m;
    }

    static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The first {@code n} images, or all if there are fewer. */
    static ImageDataset first(ImageDataset d, int n) { return d.slice(0, Math.min(n, d.count())); }
}
