package tinynn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.data.image.Resampler;
import tinynn.data.image.RgbImage;

/**
 * Labelled images from a directory with one sub-folder per class ({@code DIR/cat/1.png}, {@code DIR/dog/2.jpg}): the
 * sub-folders' names, sorted, are the classes (class i is the i-th name); each class folder's PNG and JPEG files
 * (by extension: .png, .jpg, .jpeg, any case; other files and nested folders are skipped) are decoded as grey or RGB
 * and resized to one shape (area average when shrinking, bilinear when enlarging; the aspect ratio is not kept).
 *
 * @param images the images, in class order then file-name order
 * @param classes the class names, {@code images.numClasses()} of them
 */
public record ImageFolder(ImageDataset images, List<String> classes) {

    public ImageFolder {
        classes = List.copyOf(classes);
    }

    /**
     * Reads {@code dir}.
     *
     * @param shape rows and columns every image is resized to; null: the first image's size (first class, first file)
     * @param channels 1 (grey: colour becomes luma) or 3 (RGB: grey is replicated)
     * @param classes the classes to map folders to (a test set takes its training set's; a folder not among them is an
     *                error, a class without a folder is fine); null: the folders found are the classes
     */
    public static ImageFolder read(Path dir, int[] shape, int channels, List<String> classes) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB): " + channels);
        List<Path> folders = classFolders(dir);
        List<String> names = new ArrayList<>();
        for (Path f : folders) names.add(f.getFileName().toString());
        List<String> all = classes != null ? classes : names;
        if (classes == null && names.size() < 2) {
            throw new DataException(dir + ": " + (names.isEmpty() ? "no class folders" : "only one class folder ('" + names.getFirst() + "')")
                    + "; put the images of each class in a sub-folder named after it (" + dir.resolve("cat").resolve("1.png") + ", "
                    + dir.resolve("dog").resolve("2.jpg") + "), at least two classes");
        }
        if (classes != null && names.isEmpty()) {
            throw new DataException(dir + ": no class folders; put the images of each class in a sub-folder named after it, as in the training set");
        }
        if (all.size() > 256) throw new DataException(dir + ": " + all.size() + " class folders; tinynn classifies at most 256 classes");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            Path folder = folders.get(i);
            String name = names.get(i);
            if (name.contains(",")) throw new DataException(folder + ": a class folder's name cannot contain ',' (class labels are saved comma-separated); rename it");
            int label = all.indexOf(name);
            if (label < 0) {
                throw new DataException(folder + ": class '" + name + "' is not one of the training classes (" + String.join(", ", all) + ")");
            }
            List<Path> images = images(folder);
            if (images.isEmpty()) {
                throw new DataException(folder + ": no PNG or JPEG images (.png, .jpg, .jpeg) in this class folder; add some or remove the folder");
            }
            for (Path p : images) {
                files.add(p);
                labels.add(label);
            }
        }
        int[] size = shape;
        byte[] pixels = null, labelBytes = new byte[files.size()];
        int per = 0;
        for (int n = 0; n < files.size(); n++) {
            Path file = files.get(n);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new DataException(file + ": cannot be read (" + e.getMessage() + ")");
            }
            float[] px;
            int w, h;
            if (channels == 1) {
                GreyImage g = ImageDecoder.decode(file.toString(), bytes);
                px = g.pixels();
                w = g.width();
                h = g.height();
            } else {
                RgbImage c = ImageDecoder.decodeRgb(file.toString(), bytes);
                px = c.pixels();
                w = c.width();
                h = c.height();
            }
            if (size == null) size = new int[] {h, w};
            if (pixels == null) {
                per = channels * size[0] * size[1];
                if ((long) per * files.size() > Integer.MAX_VALUE - 8) {
                    throw new DataException(dir + ": " + files.size() + " images of " + channels + "x" + size[0] + "x" + size[1]
                            + " do not fit in memory as one array; pass a smaller --image-shape");
                }
                pixels = new byte[per * files.size()];
            }
            float[] resized = Resampler.resizePlanes(px, channels, w, h, size[0], size[1]);
            for (int j = 0; j < per; j++) pixels[n * per + j] = (byte) Math.clamp(Math.round(resized[j]), 0, 255);
            labelBytes[n] = (byte) (int) labels.get(n);
        }
        return new ImageFolder(new ImageDataset(files.size(), size[0], size[1], pixels, labelBytes, Math.max(2, all.size()), channels), all);
    }

    /** The sub-folders of {@code dir}, sorted by name; hidden ones (".git") are skipped. */
    private static List<Path> classFolders(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new DataException(dir + ": no such directory");
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": not a directory; pass a folder with one sub-folder of images per class");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (NoSuchFileException e) {
            throw new DataException(dir + ": no such directory");
        }
    }

    /** The PNG and JPEG files of a class folder by extension, sorted by name. */
    private static List<Path> images(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> isImageName(p.getFileName().toString()))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }
}
