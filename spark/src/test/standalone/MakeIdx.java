import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * java MakeIdx.java DIR N: DIR/images.idx and DIR/labels.idx, N 8x8 images in 4 classes (the brightest quarter is the
 * class), for standalone.sh; run with the JDK's source launcher, nothing to build.
 */
public class MakeIdx {
    public static void main(String[] args) throws IOException {
        String dir = args[0];
        int n = Integer.parseInt(args[1]), side = 8;
        Random r = new Random(1);
        byte[] pixels = new byte[n * side * side], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(4);
            labels[i] = (byte) c;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int quarter = (y < side / 2 ? 0 : 2) + (x < side / 2 ? 0 : 1);
                    pixels[i * side * side + y * side + x] = (byte) (r.nextInt(100) + (quarter == c ? 120 : 0));
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(new FileOutputStream(dir + "/images.idx"))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(side);
            out.writeInt(side);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(new FileOutputStream(dir + "/labels.idx"))) {
            out.writeInt(0x801);
            out.writeInt(n);
            out.write(labels);
        }
    }
}
