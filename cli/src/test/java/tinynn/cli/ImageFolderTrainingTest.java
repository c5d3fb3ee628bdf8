package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.Shape;
import tinynn.runtime.model.Model;

/**
 * {@code train --train-dir} end to end: class folders of PNG and JPEG files whose two classes differ only in hue (their
 * luma is equal), so only a model fed RGB can tell them apart; predict and eval feed such a model RGB too.
 */
class ImageFolderTrainingTest {
    @TempDir static Path dir;
    static Path train, test, model;
    static Cli.Result trained;

    /** Two colours of (almost) equal luma: 0.299 R + 0.587 G + 0.114 B = 105.3 and 104.5. */
    static final int[][] COLOURS = {{40, 140, 90}, {200, 60, 90}};
    static final String[] NAMES = {"green", "red"};

    static BufferedImage picture(int cls, Random rng) {
        BufferedImage img = new BufferedImage(20, 18, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 18; y++) {
            for (int x = 0; x < 20; x++) {
                int[] c = COLOURS[cls];
                int r = c[0] + rng.nextInt(41) - 20, g = c[1] + rng.nextInt(41) - 20, b = c[2] + rng.nextInt(41) - 20;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** {@code n} images a class, every third a JPEG. */
    static void folder(Path root, int n, Random rng) throws IOException {
        for (int cls = 0; cls < 2; cls++) {
            Path d = Files.createDirectories(root.resolve(NAMES[cls]));
            for (int i = 0; i < n; i++) {
                String format = i % 3 == 0 ? "jpeg" : "png";
                ImageIO.write(picture(cls, rng), format, d.resolve(i + (format.equals("jpeg") ? ".jpg" : ".png")).toFile());
            }
        }
    }

    /**
     * 2 × 60 training images, LeNet-5 on 16x16 RGB, batch 16, 3 epochs. Chance is 0.5 and a grey model cannot do better
     * (the classes' luma differs by less than one level against ±20 of noise); the hue difference is large, so an RGB
     * CNN separates them within a few steps.
     */
    @BeforeAll static void trainRgb() throws IOException {
        Random rng = new Random(5);
        train = dir.resolve("train");
        test = dir.resolve("test");
        folder(train, 60, rng);
        folder(test, 20, rng);
        model = dir.resolve("colour.tnn");
        trained = Cli.run("train", "--train-dir", train.toString(), "--test-dir", test.toString(), "--image-shape", "16x16", "--color", "rgb",
                "--arch", "lenet5", "--epochs", "3", "--batch-size", "16", "--progress", "none", "--threads", "1", "--out", model.toString());
    }

    @Test void anRgbCnnLearnsWhatLumaCannotShow() throws IOException {
        assertEquals(0, trained.code(), trained::toString);
        assertTrue(trained.out().contains("data: 120 training examples, 40 test examples"), trained::toString);
        Model m = Model.load(model);
        assertEquals(Shape.of(1, 3, 16, 16), m.inputShape());
        assertEquals("green,red", m.metadata().get("class_labels"));
        assertEquals("3", m.metadata().get("image_channels"));
        assertEquals("stretch", m.metadata().get("image_resize"));
        assertEquals("16,16", m.metadata().get("image_shape"));
        assertTrue(m.history().getLast().testAccuracy() > 0.9, trained::toString);
    }

    @Test void predictAndEvalFeedTheModelRgb() throws IOException {
        Path red = dir.resolve("red.png"), green = dir.resolve("green.jpg");
        ImageIO.write(picture(1, new Random(1)), "png", red.toFile());
        ImageIO.write(picture(0, new Random(2)), "jpeg", green.toFile());
        Cli.Result p = Cli.run("predict", model.toString(), red.toString(), green.toString(), "--top", "1");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().contains(red + ": red (p="), p::toString);
        assertTrue(p.out().contains(green + ": green (p="), p::toString);
        Cli.Result e = Cli.run("eval", model.toString(), "--dir", test.toString());
        assertEquals(0, e.code(), e::toString);
        Matcher acc = Pattern.compile("accuracy  ([0-9.]+)  \\((\\d+)/40\\)").matcher(e.out());
        assertTrue(acc.find(), e::toString);
        assertTrue(Double.parseDouble(acc.group(1)) > 0.9, e::toString);
    }

    @Test void greyIsTheDefaultAndAnMlpGetsFlattenedImages() throws IOException {
        Path grey = dir.resolve("grey.tnn");
        Cli.Result r = Cli.run("train", "--train-dir", train.toString(), "--image-shape", "8x6", "--epochs", "1", "--hidden", "8",
                "--progress", "none", "--threads", "1", "--out", grey.toString());
        assertEquals(0, r.code(), r::toString);
        Model m = Model.load(grey);
        assertEquals("-1,48", m.metadata().get("input_shape"));
        assertEquals("1", m.metadata().get("image_channels"));
        assertEquals("8,6", m.metadata().get("image_shape"));
        Path rgb = dir.resolve("rgb-mlp.tnn");
        r = Cli.run("train", "--train-dir", train.toString(), "--image-shape", "8x6", "--color", "rgb", "--epochs", "1", "--hidden", "8",
                "--progress", "none", "--threads", "1", "--out", rgb.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("-1,144", Model.load(rgb).metadata().get("input_shape"));
        Path red = dir.resolve("red2.png");
        ImageIO.write(picture(1, new Random(3)), "png", red.toFile());
        Cli.Result p = Cli.run("predict", rgb.toString(), red.toString());
        assertEquals(0, p.code(), p::toString);
    }

    @Test void aFolderRunResumesFromItsRecordedFolders() throws IOException {
        Path first = dir.resolve("resume.tnn");
        Cli.Result r = Cli.run("train", "--train-dir", train.toString(), "--image-shape", "8x8", "--color", "rgb", "--epochs", "1",
                "--hidden", "8", "--progress", "none", "--threads", "1", "--out", first.toString());
        assertEquals(0, r.code(), r::toString);
        r = Cli.run("train", "--resume", first.toString(), "--epochs", "2", "--progress", "none", "--threads", "1");
        assertEquals(0, r.code(), r::toString);
        assertEquals(2, Model.load(first).history().size());
        assertEquals("3", Model.load(first).metadata().get("image_channels"));
    }

    @Test void badFoldersAndOptionsAreOneLineErrors() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli.Result r = Cli.run("train", "--train-dir", empty.toString(), "--out", dir.resolve("x.tnn").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(empty + ": no class folders;"), r::toString);
        assertEquals(1, r.errLines(), r::toString);

        Path broken = dir.resolve("broken");
        Files.createDirectories(broken.resolve("a"));
        Files.createDirectories(broken.resolve("b"));
        ImageIO.write(picture(0, new Random(4)), "png", broken.resolve("a/1.png").toFile());
        Files.writeString(broken.resolve("b/2.png"), "not a picture");
        r = Cli.run("train", "--train-dir", broken.toString(), "--out", dir.resolve("x.tnn").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(broken.resolve("b/2.png") + ": not a PNG or JPEG image"), r::toString);

        r = Cli.run("train", "--train-dir", train.toString(), "--color", "blue");
        assertTrue(r.err().contains("--color: 'blue' is not grey or rgb"), r::toString);
        r = Cli.run("train", "--data", "mnist", "--test-dir", test.toString());
        assertTrue(r.err().contains("--test-dir needs --train-dir"), r::toString);
        r = Cli.run("train", "--train-dir", train.toString(), "--color", "rgb", "--arch", "lstm", "--image-shape", "8x8",
                "--out", dir.resolve("x.tnn").toString());
        assertTrue(r.err().contains("--arch lstm reads grey image rows as time steps"), r::toString);
    }
}
