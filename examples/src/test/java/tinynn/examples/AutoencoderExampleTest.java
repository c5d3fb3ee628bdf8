package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.DatasetSpec;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.graph.DType;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;

class AutoencoderExampleTest {

    @Test
    void quickRunDenoisesSavesAndReloads(@TempDir Path tmp) throws Exception {
        Path data = Fixtures.digits(tmp.resolve("data"), 2000, 500), out = tmp.resolve("out");
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(Examples.named("autoencoder"),
                ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data).withOutDir(out).withThreads(1), new PrintWriter(log));

        // Doing nothing scores noisy_loss (about 0.11 here); an untrained decoder, whose sigmoid outputs sit near 0.5,
        // about 0.2. A decoder trained on the codes of an encoder left untrained (the input gradient not applied)
        // reaches about 0.025; encoder and decoder trained together about 0.006. An eighth of the baseline (0.014)
        // lies between the last two, so it also checks that the encoder learns through the decoder.
        double loss = r.get("reconstruction_loss"), baseline = r.get("noisy_loss");
        assertTrue(baseline > 0.05, "noisy_loss " + baseline);
        assertTrue(loss < baseline / 8, "reconstruction_loss " + loss + " vs noisy input " + baseline + "; log:\n" + log);
        assertEquals(0, r.get("reload_max_difference"), "the reloaded models reconstruct differently");

        // The saved files stand on their own: loaded here, they denoise the test images as well as the example said.
        Model encoder = Model.load(out.resolve("encoder.tnn")), decoder = Model.load(out.resolve("decoder.tnn"));
        ImageTensors test = ImageTensors.of(DatasetSpec.MNIST.test(data), DType.F32);
        Tensor noisy = Tensor.zeros(DType.F32, test.inputs().shape());
        AutoencoderExample.addNoise(test.inputs(), noisy, new Random(5));
        double reloaded = AutoencoderExample.meanSquaredError(AutoencoderExample.reconstruct(encoder, decoder, noisy), test.inputs());
        assertTrue(reloaded < baseline / 8, "reloaded models' reconstruction_loss " + reloaded);

        GreyImage grid = ImageDecoder.decode(out.resolve("denoised.png"));
        int side = AutoencoderExample.SHOWN * 28 + (AutoencoderExample.SHOWN + 1) * ImageGrid.GAP;
        assertEquals(side, grid.width());
        assertEquals(3 * 28 + 4 * ImageGrid.GAP, grid.height());
        assertTrue(range(grid) > 200, "the picture is nearly constant");
        assertTrue(r.files().contains(out.resolve("denoised.png")) && Files.isRegularFile(out.resolve("decoder.tnn")));
    }

    static float range(GreyImage g) {
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float p : g.pixels()) {
            lo = Math.min(lo, p);
            hi = Math.max(hi, p);
        }
        return hi - lo;
    }
}
