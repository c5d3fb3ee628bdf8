package tinynn.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.TrainingListener;

/**
 * {@code --plot FILE.svg|FILE.png}: the loss curves (left) and accuracy curves (right) of the model's
 * whole history, redrawn after every epoch and replaced atomically, so the file is always a complete
 * picture. The layout is shared by both formats: two panels side by side, epochs on x.
 */
public final class Plot implements TrainingListener {
    static final int WIDTH = 800, HEIGHT = 320;
    static final int PANEL = WIDTH / 2, LEFT = 50, TOP = 30, PW = PANEL - LEFT - 20, PH = HEIGHT - TOP - 50;

    private final Path file;
    private final boolean png;

    public Plot(Path file) {
        this.file = file;
        this.png = png(file);
    }

    /** Whether the file is PNG; fails naming the file for another extension. */
    public static boolean png(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) return true;
        if (n.endsWith(".svg")) return false;
        throw new IllegalArgumentException("--plot " + file + ": the file name must end in .svg or .png");
    }

    @Override public void epochEnded(Model model, EpochMetrics metrics) {
        try {
            write(model.history());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Draws {@code history} into the file, replacing it atomically. */
    public void write(List<EpochMetrics> history) throws IOException {
        Curves c = Curves.of(history);
        byte[] bytes = png ? PngPlot.draw(c) : SvgPlot.draw(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        // Not Files.createTempFile: its owner-only permissions would follow the file through the rename.
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Pixel x of epoch {@code x} in panel {@code panel} (0 loss, 1 accuracy). */
    static double px(int panel, double x, int epochs) {
        return panel * PANEL + LEFT + (epochs <= 1 ? PW / 2.0 : (x - 1) / (epochs - 1) * PW);
    }

    /** Pixel y of value {@code y} on the scale {@code [lo, hi]}. */
    static double py(double y, double[] range) {
        return TOP + PH - (y - range[0]) / (range[1] - range[0]) * PH;
    }
}
