package tinynn.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The workload the build runs once under {@code -XX:AOTCacheOutput} to write the JDK 25 AOT cache
 * that {@code bin/tinynn} starts from: every command on a tiny generated data set, output
 * discarded. Not a tinynn command; {@code java -cp tinynn-cli.jar tinynn.cli.AotTraining}.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("tinynn-aot");
        try {
            Path images = dir.resolve("images.idx"), labels = dir.resolve("labels.idx"), png = dir.resolve("digit.png");
            Path csv = dir.resolve("rows.csv"), model = dir.resolve("model.tnn");
            writeFixture(images, labels, csv, png, 256);
            int failures = 0;
            String[][] runs = {
                    {"--help"},
                    {"version"},
                    {"train", "--train-images", images.toString(), "--train-labels", labels.toString(), "--test-images", images.toString(),
                            "--test-labels", labels.toString(), "--hidden", "16", "--epochs", "1", "--progress", "lines", "--out", model.toString()},
                    {"inspect", model.toString(), "--graph"},
                    {"predict", model.toString(), png.toString(), images.toString(), csv.toString(), "--json"},
                    {"predict", model.toString(), png.toString()},
                    {"eval", model.toString(), "--images", images.toString(), "--labels", labels.toString()},
                    {"inspect", dir.resolve("missing.tnn").toString()},
            };
            for (String[] run : runs) {
                CommandLine cl = Main.commandLine();
                cl.setOut(new PrintWriter(OutputStream.nullOutputStream()));
                cl.setErr(new PrintWriter(OutputStream.nullOutputStream()));
                int code = cl.execute(run);
                if (code != 0 && !run[0].equals("inspect")) failures++;
            }
            // Thrown, not System.exit: the JVM still exits with status 1, and the finally below cleans up first.
            if (failures > 0) throw new IllegalStateException("AotTraining: " + failures + " workload commands failed");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void writeFixture(Path images, Path labels, Path csv, Path png, int n) throws IOException {
        Random rng = new Random(1);
        byte[] px = new byte[n * 28 * 28];
        byte[] lb = new byte[n];
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            lb[i] = (byte) c;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean ink = x / 7 == c % 4 && y / 9 == c / 4;
                    px[i * 784 + y * 28 + x] = (byte) (ink ? 200 + rng.nextInt(56) : rng.nextInt(40));
                }
            }
            if (i < 5) {
                rows.append(c);
                for (int j = 0; j < 784; j++) rows.append(',').append(px[i * 784 + j] & 0xFF);
                rows.append('\n');
            }
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(images))) {
            o.writeInt(0x803);
            o.writeInt(n);
            o.writeInt(28);
            o.writeInt(28);
            o.write(px);
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(labels))) {
            o.writeInt(0x801);
            o.writeInt(n);
            o.write(lb);
        }
        Files.writeString(csv, rows);
        byte[] grey = new byte[56 * 56];
        for (int i = 0; i < grey.length; i++) grey[i] = (byte) (255 - (px[(i / 56 / 2) * 28 + (i % 56) / 2] & 0xFF));
        Files.write(png, tinynn.data.image.PngEncoder.grey(56, 56, grey));
    }
}
