package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.image.PngEncoder;

/** Image folders: classes from sorted sub-folder names, images resized to one shape, grey or RGB (NCHW), and the errors. */
class ImageFolderTest {

    static void png(Path file, int w, int h, int rgb) throws Exception {
        Files.createDirectories(file.getParent());
        int[] px = new int[w * h];
        java.util.Arrays.fill(px, rgb);
        Files.write(file, PngEncoder.rgb(w, h, px));
    }

    @Test void sortedFolderNamesAreTheClassesAndImagesAreResized(@TempDir Path dir) throws Exception {
        png(dir.resolve("zebra/a.png"), 4, 4, 0xFFFFFF);
        png(dir.resolve("ant/b.png"), 8, 2, 0x000000);
        png(dir.resolve("ant/c.PNG"), 2, 2, 0x808080);
        Files.writeString(dir.resolve("ant/notes.txt"), "not an image, skipped");
        ImageFolder f = ImageFolder.read(dir, new int[] {2, 2}, 1, null);
        assertEquals(List.of("ant", "zebra"), f.classes());
        ImageDataset d = f.images();
        assertEquals(3, d.count());
        assertEquals(1, d.channels());
        assertEquals(2, d.rows());
        assertEquals(2, d.cols());
        assertEquals(2, d.numClasses());
        // ant/b.png (black), ant/c.PNG (grey 128), zebra/a.png (white): class order, then file names.
        assertEquals(List.of(0, 0, 1), List.of(d.label(0), d.label(1), d.label(2)));
        assertEquals(0, d.pixels()[0] & 0xFF);
        assertEquals(128, d.pixels()[4] & 0xFF);
        assertEquals(255, d.pixels()[8] & 0xFF);
    }

    @Test void rgbImagesAreChannelMajorAndTheFirstImageSetsTheDefaultShape(@TempDir Path dir) throws Exception {
        png(dir.resolve("red/1.png"), 3, 2, 0xFF0000);
        png(dir.resolve("teal/1.png"), 6, 4, 0x0080FF);
        ImageDataset d = ImageFolder.read(dir, null, 3, null).images();
        assertEquals(3, d.channels());
        assertEquals(2, d.rows());
        assertEquals(3, d.cols());
        assertEquals(2 * 3 * 2 * 3, d.pixels().length);
        int plane = 6;
        for (int i = 0; i < plane; i++) {
            assertEquals(255, d.pixels()[i] & 0xFF, "red's red plane");
            assertEquals(0, d.pixels()[plane + i] & 0xFF, "red's green plane");
            assertEquals(0, d.pixels()[18 + i] & 0xFF, "teal's red plane");
            assertEquals(128, d.pixels()[18 + plane + i] & 0xFF, "teal's green plane");
            assertEquals(255, d.pixels()[18 + 2 * plane + i] & 0xFF, "teal's blue plane");
        }
    }

    @Test void aTestFolderTakesTheTrainingClasses(@TempDir Path dir) throws Exception {
        png(dir.resolve("b/1.png"), 2, 2, 0);
        ImageDataset d = ImageFolder.read(dir, new int[] {2, 2}, 1, List.of("a", "b", "c")).images();
        assertEquals(1, d.label(0));
        assertEquals(3, d.numClasses());
        png(dir.resolve("d/1.png"), 2, 2, 0);
        DataException e = assertThrows(DataException.class, () -> ImageFolder.read(dir, new int[] {2, 2}, 1, List.of("a", "b", "c")));
        assertEquals(dir.resolve("d") + ": class 'd' is not one of the training classes (a, b, c)", e.getMessage());
    }

    @Test void errorsNameTheFolderOrFile(@TempDir Path dir) throws Exception {
        assertTrue(message(dir.resolve("missing")).endsWith("missing: no such directory"));
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(message(dir.resolve("empty")).startsWith(dir.resolve("empty") + ": no class folders;"), message(dir.resolve("empty")));
        Path one = dir.resolve("one");
        png(one.resolve("cat/1.png"), 2, 2, 0);
        assertTrue(message(one).startsWith(one + ": only one class folder ('cat')"), message(one));
        Path noImages = dir.resolve("noimages");
        png(noImages.resolve("cat/1.png"), 2, 2, 0);
        Files.createDirectories(noImages.resolve("dog"));
        Files.writeString(noImages.resolve("dog/readme.txt"), "x");
        assertTrue(message(noImages).startsWith(noImages.resolve("dog") + ": no PNG or JPEG images"), message(noImages));
        Path broken = dir.resolve("broken");
        png(broken.resolve("cat/1.png"), 2, 2, 0);
        Files.createDirectories(broken.resolve("dog"));
        Files.writeString(broken.resolve("dog/2.jpg"), "not a jpeg");
        assertEquals(broken.resolve("dog/2.jpg") + ": not a PNG or JPEG image", message(broken));
    }

    private static String message(Path dir) {
        return assertThrows(DataException.class, () -> ImageFolder.read(dir, new int[] {2, 2}, 1, null)).getMessage();
    }
}
