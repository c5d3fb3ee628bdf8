package tinynn.spark;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Small IDX data sets for the tests: images whose brightest quarter tells the class, so a net can learn them. */
final class TestData {
    private TestData() {}

    /** Writes images.idx and labels.idx (n images of side×side, 4 classes) into dir; returns the --train-images/--train-labels arguments. */
    static List<String> idx(Path dir, int n, int side, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * side * side];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(4);
            labels[i] = (byte) c;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int quarter = (y < side / 2 ? 0 : 2) + (x < side / 2 ? 0 : 1);
                    int v = r.nextInt(100) + (quarter == c ? 120 : 0);
                    pixels[i * side * side + y * side + x] = (byte) v;
                }
            }
        }
        Path images = dir.resolve("images.idx"), lbls = dir.resolve("labels.idx");
        try (OutputStream f = Files.newOutputStream(images); DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(side);
            out.writeInt(side);
            out.write(pixels);
        }
        try (OutputStream f = Files.newOutputStream(lbls); DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x801);
            out.writeInt(n);
            out.write(labels);
        }
        return List.of("--train-images", images.toString(), "--train-labels", lbls.toString());
    }
}
