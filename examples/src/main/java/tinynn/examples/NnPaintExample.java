package tinynn.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import tinynn.data.image.ImageDecoder;
import tinynn.data.image.PngEncoder;
import tinynn.data.image.RgbImage;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;

/**
 * Neural painting: a network learns a picture as a function from a pixel's position (x, y), both scaled to
 * [−1, 1], to its colour (r, g, b) in [0, 1]. Every pixel is one training example; the model is a plain MLP (six dense
 * layers, ReLU between them, a sigmoid on the three outputs) trained on the MSE loss with Adam. Asking it for every
 * position paints its current idea of the picture, written as a PNG every few epochs: first a blur of the main
 * colours, then the edges sharpening.
 *
 * <p>The picture is drawn in code ({@link #sunset}: a sky gradient, a sun, hills, a house) unless {@code --image FILE} gives a
 * PNG or JPEG, which is shrunk by averaging so its longer side is at most {@value #MAX_SIDE} pixels. Reports
 * {@code final_mse}, the mean squared error per colour value (0..1) of the final painting, next to
 * {@code mean_colour_mse}, the error of painting every pixel in the picture's mean colour (what a network that learned
 * nothing about positions would do). Expect the drawn picture's final MSE about 30 times below that (0.0009 against 0.032) after the 300
 * epochs of a full run. {@code --quick}: a 48x48 drawing, 60 epochs.
 */
public final class NnPaintExample implements Example {
    static final int MAX_SIDE = 128;
    private static final int SIDE = 96, QUICK_SIDE = 48, WIDTH = 64, BATCH = 64, PICTURES = 6;

    public static void main(String[] args) throws Exception { ExampleMain.run("nn-paint", args); }

    @Override public String name() { return "nn-paint"; }

    @Override public String summary() { return "an MLP learns a picture's RGB from (x, y); writes the painting as PNG every few epochs: final MSE"; }

    @Override public Set<String> options() { return Set.of("image"); }

    @Override
    public ExampleResult run(ExampleContext ctx) throws IOException {
        Path file = ctx.options().image();
        if (file != null && !Files.isRegularFile(file)) throw new IllegalArgumentException("--image " + file + ": no such file; give a PNG or JPEG picture");
        RgbImage picture = file != null ? shrink(ImageDecoder.decodeRgb(file), MAX_SIDE)
                : sunset(ctx.quick() ? QUICK_SIDE : SIDE, ctx.quick() ? QUICK_SIDE : SIDE);
        int w = picture.width(), h = picture.height(), n = w * h;
        ctx.log("nn-paint: %s, %dx%d = %d pixels", file != null ? file : "the drawn sunset", w, h, n);

        // One row per pixel: the inputs (x, y) and the targets (r, g, b).
        Tensor positions = Tensor.zeros(DType.F32, Shape.of(n, 2)), colours = Tensor.zeros(DType.F32, Shape.of(n, 3));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                positions.set(2 * i, 2.0 * x / (w - 1) - 1);
                positions.set(2 * i + 1, 2.0 * y / (h - 1) - 1);
                for (int c = 0; c < 3; c++) colours.set(3 * i + c, picture.get(c, x, y) / 255.0);
            }
        }

        Net net = new Net(
                new Dense(2, WIDTH), Activation.relu(),
                new Dense(WIDTH, WIDTH), Activation.relu(),
                new Dense(WIDTH, WIDTH), Activation.relu(),
                new Dense(WIDTH, WIDTH), Activation.relu(),
                new Dense(WIDTH, WIDTH), Activation.relu(),
                new Dense(WIDTH, 3), Activation.sigmoid());
        Model model = new Model(net, Losses.mse(), new Adam(2e-3), ctx.backend(), DType.F32, ctx.seed());
        Trainer trainer = new Trainer(model, BATCH);

        ExampleResult result = new ExampleResult();
        result.file(ctx.write("target.png", png(colours, w, h)));
        int epochs = ctx.epochs(300, 60), every = Math.max(1, epochs / PICTURES);
        double mse = Double.NaN;
        for (int epoch = every; ; epoch = Math.min(epoch + every, epochs)) {
            Outcome outcome = trainer.run(positions, colours, epoch);
            if (!(outcome instanceof Outcome.Completed)) throw new IllegalStateException("nn-paint: training ended early: " + outcome);
            Tensor painted = model.predict(positions);
            mse = meanSquaredError(painted, colours);
            Path written = ctx.write(String.format("painted-epoch-%04d.png", epoch), png(painted, w, h));
            result.file(written);
            ctx.log("epoch %d/%d  MSE %.5f  wrote %s", epoch, epochs, mse, written);
            if (epoch == epochs) break;
        }
        return result.metric("final_mse", mse).metric("mean_colour_mse", meanColourError(colours));
    }

    /**
     * The default picture, w x h: a sky fading from deep blue to orange, a yellow sun, two green hills (sine curves, the
     * nearer one darker) and a red house with a brown roof. Hard edges and smooth gradients, so the painting shows both.
     */
    static RgbImage sunset(int w, int h) {
        float[] px = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w, v = (double) y / h; // 0..1, v downwards
                double[] c = {0.10 + 0.85 * v, 0.15 + 0.45 * v, 0.45 - 0.25 * v};                  // sky
                if (Math.hypot(u - 0.72, v - 0.30) < 0.12) c = new double[] {1.0, 0.85, 0.25};        // sun
                if (v > 0.62 + 0.06 * Math.sin(u * 7)) c = new double[] {0.30, 0.60 - 0.3 * (v - 0.6), 0.20}; // far hill
                if (v > 0.78 + 0.05 * Math.sin(u * 11 + 1)) c = new double[] {0.10, 0.35, 0.10};       // near hill
                boolean wall = u > 0.18 && u < 0.42 && v > 0.55 && v < 0.80;
                boolean roof = v > 0.40 && v <= 0.55 && Math.abs(u - 0.30) < (v - 0.40) * 1.1;
                if (wall) c = new double[] {0.75, 0.15, 0.12};
                if (roof) c = new double[] {0.40, 0.22, 0.10};
                for (int k = 0; k < 3; k++) px[(k * h + y) * w + x] = (float) (Math.clamp(c[k], 0.0, 1.0) * 255);
            }
        }
        return new RgbImage(w, h, px);
    }

    /** Mean of (predicted − actual)² over every pixel and channel. */
    static double meanSquaredError(Tensor predicted, Tensor actual) {
        double sum = 0;
        for (int i = 0; i < actual.size(); i++) {
            double d = predicted.get(i) - actual.get(i);
            sum += d * d;
        }
        return sum / actual.size();
    }

    /** The error of the best constant painting: every pixel in the mean colour (the per-channel variance). */
    static double meanColourError(Tensor colours) {
        int n = colours.size() / 3;
        double[] mean = new double[3];
        for (int i = 0; i < colours.size(); i++) mean[i % 3] += colours.get(i) / n;
        double sum = 0;
        for (int i = 0; i < colours.size(); i++) {
            double d = colours.get(i) - mean[i % 3];
            sum += d * d;
        }
        return sum / colours.size();
    }

    /** Rows of (r, g, b) in [0, 1] as an RGB PNG. */
    static byte[] png(Tensor colours, int w, int h) {
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            int p = 0;
            for (int c = 0; c < 3; c++) p = p << 8 | (int) Math.round(Math.clamp(colours.get(3 * i + c), 0.0, 1.0) * 255);
            rgb[i] = p;
        }
        return PngEncoder.rgb(w, h, rgb);
    }

    /** The picture shrunk by a whole factor, each new pixel the mean of the block it covers, so its longer side is at most {@code max}. */
    static RgbImage shrink(RgbImage im, int max) {
        int f = (Math.max(im.width(), im.height()) + max - 1) / max;
        if (f <= 1) return im;
        int w = im.width() / f, h = im.height() / f;
        float[] px = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float sum = 0;
                    for (int dy = 0; dy < f; dy++) for (int dx = 0; dx < f; dx++) sum += im.get(c, x * f + dx, y * f + dy);
                    px[(c * h + y) * w + x] = sum / (f * f);
                }
            }
        }
        return new RgbImage(w, h, px);
    }
}
