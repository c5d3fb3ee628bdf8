package tinynn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.image.GreyImage;
import tinynn.data.image.PngDecoder;
import tinynn.runtime.model.EpochMetrics;

class PlotTest {
    @TempDir Path dir;

    static final List<EpochMetrics> HISTORY = List.of(
            new EpochMetrics(0, 1.0, 1.1, 0.5, 1, 1.05, 0.55),
            new EpochMetrics(1, 0.6, 0.9, 0.7, 1, 0.95, 0.65),
            new EpochMetrics(2, 0.3, 1.0, 0.72, 1, 1.2, 0.6),
            new EpochMetrics(3, 0.2, Double.NaN, Double.NaN, 1, 1.3, 0.58));

    @Test void svgIsWellFormedWithAPolylinePerSeriesAndAPointPerMeasuredEpoch() throws Exception {
        Path f = dir.resolve("c.svg");
        new Plot(f).write(HISTORY);
        assertEquals(4, PlotFiles.points(f, "train-loss"));
        assertEquals(4, PlotFiles.points(f, "val-loss"));
        assertEquals(3, PlotFiles.points(f, "test-loss"), "the unmeasured epoch has no point");
        assertEquals(4, PlotFiles.points(f, "val-acc"));
        assertEquals(3, PlotFiles.points(f, "test-acc"));
        new Plot(f).write(List.of(new EpochMetrics(0, 1.0, Double.NaN, Double.NaN, 1)));
        assertEquals(1, PlotFiles.points(f, "train-loss"));
        assertEquals(-1, PlotFiles.points(f, "val-loss"), "a series never measured is left out");
    }

    @Test void svgPointsFollowTheValues() throws Exception {
        Path f = dir.resolve("v.svg");
        new Plot(f).write(HISTORY);
        String s = Files.readString(f);
        // train loss falls: its y pixel coordinates grow (SVG's y points down); the first is the panel top's max.
        String pts = s.replaceAll("(?s).*<polyline class=\"train-loss\"[^>]*points=\"([^\"]*)\".*", "$1");
        double[] ys = java.util.Arrays.stream(pts.split(" ")).mapToDouble(p -> Double.parseDouble(p.split(",")[1])).toArray();
        for (int i = 1; i < ys.length; i++) assertTrue(ys[i] > ys[i - 1], pts);
    }

    @Test void pngDecodesWithTheProjectsDecoderAndImageIoAndHasTheCurvesColours() throws Exception {
        Path f = dir.resolve("c.png");
        new Plot(f).write(HISTORY);
        byte[] bytes = Files.readAllBytes(f);
        GreyImage g = PngDecoder.decode(f.toString(), bytes);
        assertEquals(Plot.WIDTH, g.width());
        assertEquals(Plot.HEIGHT, g.height());
        long dark = 0;
        for (float p : g.pixels()) if (p < 250) dark++; // 0..255, background white
        assertTrue(dark > 500, "lines drawn: " + dark + " non-background pixels");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertEquals(Plot.WIDTH, img.getWidth());
        assertEquals(Plot.HEIGHT, img.getHeight());
        int train = 0, val = 0, test = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == Curves.TRAIN) train++;
                if (rgb == Curves.VAL) val++;
                if (rgb == Curves.TEST) test++;
            }
        }
        assertTrue(train > 100 && val > 100 && test > 100, train + " " + val + " " + test);
        // The largest loss, validation at the last epoch, is the loss panel's top right corner.
        assertEquals(Curves.VAL, img.getRGB(Plot.LEFT + Plot.PW, Plot.TOP) & 0xffffff);
        assertEquals(PngPlot.BACKGROUND, img.getRGB(5, 5) & 0xffffff);
    }

    @Test void theFileGetsTheSamePermissionsAsAnyFileTheUserWrites() throws Exception {
        // Files.createTempFile would make it owner-only (0600), and the rename would keep that.
        Path reference = Files.writeString(dir.resolve("reference.txt"), "x");
        Path f = dir.resolve("perm.svg");
        new Plot(f).write(HISTORY);
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f));
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test void extensionsOtherThanSvgOrPngAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Plot(dir.resolve("c.jpg")));
        assertTrue(Plot.png(dir.resolve("C.PNG")));
    }
}
