package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;

class GanExampleTest {

    @Test
    void quickRunTeachesTheGeneratorThroughTheDiscriminator(@TempDir Path tmp) throws Exception {
        Path data = Fixtures.digits(tmp.resolve("data"), 2000, 500), out = tmp.resolve("out");
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(Examples.named("gan"),
                ExampleOptions.DEFAULTS.withQuick(true).withDataDir(data).withOutDir(out).withThreads(1), new PrintWriter(log));

        // The quality number works: its classifier knows the fixture's classes, real images score high (near 10) and
        // the untrained generator's grey noise, one class to the classifier, about 1.
        assertTrue(r.get("classifier_accuracy") > 0.9, "classifier_accuracy " + r.get("classifier_accuracy") + "; log:\n" + log);
        assertTrue(r.get("real_score") > 5, "real_score " + r.get("real_score"));
        assertTrue(r.get("initial_sample_score") < 1.5, "initial_sample_score " + r.get("initial_sample_score"));
        // The generator learned, through the discriminator's input gradient alone, what the data looks like overall:
        // its samples moved from mid-grey (about 0.41 from every class mean) to half that or less, as far as a plain
        // image at the background's level (about 0.18). An untrained generator, or one the gradient chain does not
        // reach, stays grey. Drawing the squares takes more steps than a quick run has; sample_score measures that
        // in the full run.
        double initial = r.get("initial_prototype_distance"), distance = r.get("prototype_distance");
        assertTrue(distance < initial / 2, "prototype_distance " + distance + " (untrained " + initial + "); log:\n" + log);
        double d = r.get("d_loss"), g = r.get("g_loss");
        assertTrue(Double.isFinite(d) && Double.isFinite(g) && d > 0 && g > 0, "d_loss " + d + ", g_loss " + g);

        int side = 8 * 28 + 9 * ImageGrid.GAP;
        GreyImage before = ImageDecoder.decode(out.resolve("samples-epoch-0.png"));
        GreyImage after = ImageDecoder.decode(out.resolve("samples-epoch-3.png"));
        assertEquals(side, after.width());
        assertEquals(side, after.height());
        assertEquals(side, before.width());
        // The samples themselves vary (the grey gaps between tiles do not count).
        assertTrue(tileRange(after) > 50, "the samples are nearly constant: range " + tileRange(after));
        assertTrue(r.files().contains(out.resolve("samples-epoch-3.png")));
    }

    /** The range of the pixels inside the 8×8 tiles of 28×28, the gaps left out. */
    static float tileRange(GreyImage g) {
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (int t = 0; t < 64; t++) {
            int x0 = ImageGrid.GAP + (t % 8) * (28 + ImageGrid.GAP), y0 = ImageGrid.GAP + (t / 8) * (28 + ImageGrid.GAP);
            for (int y = y0; y < y0 + 28; y++) {
                for (int x = x0; x < x0 + 28; x++) {
                    float p = g.pixels()[y * g.width() + x];
                    lo = Math.min(lo, p);
                    hi = Math.max(hi, p);
                }
            }
        }
        return hi - lo;
    }
}
