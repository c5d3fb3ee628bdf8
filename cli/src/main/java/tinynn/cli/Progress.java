package tinynn.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Per-epoch training progress on stderr: a live bar redrawn in place on a terminal, a few plain
 * lines otherwise (logs, pipes, CI), or nothing.
 */
final class Progress {
    enum Mode { AUTO, BAR, LINES, NONE }

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final Mode mode;
    private int epoch, epochs, steps, batch, lastLine, lastWidth;
    private long start, lastDraw;

    Progress(PrintWriter out, Mode mode) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.LINES) : mode;
    }

    static boolean isTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    Mode mode() { return mode; }

    void startEpoch(int epoch, int epochs, int steps, int batch) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.steps = steps;
        this.batch = batch;
        this.start = System.nanoTime();
        this.lastDraw = 0;
        this.lastLine = 0;
    }

    /** After a step: step is 1-based within the epoch, done counts the steps run in this process. */
    void step(int step, int done, double meanLoss) {
        if (mode == Mode.NONE) return;
        long now = System.nanoTime();
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done * (double) batch / secs : 0;
        double eta = done > 0 ? secs / done * (steps - step) : 0;
        if (mode == Mode.BAR) {
            if (now - lastDraw < REDRAW_NANOS && step < steps) return;
            lastDraw = now;
            int filled = steps == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * step / steps);
            String bar = "=".repeat(filled) + (filled < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - filled - 1) : "");
            String line = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d loss %.4f %,.0f img/s ETA %s",
                    epoch + 1, epochs, bar, step, steps, meanLoss, rate, duration(eta));
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else {
            int quarter = Math.max(1, steps / 4);
            if (step - lastLine < quarter || step == steps) return;
            lastLine = step;
            out.printf(Locale.ROOT, "  epoch %d/%d step %d/%d loss %.4f %,.0f img/s ETA %s%n",
                    epoch + 1, epochs, step, steps, meanLoss, rate, duration(eta));
            out.flush();
        }
    }

    /** Clears the bar before the epoch's summary line. */
    void endEpoch() {
        if (mode == Mode.BAR && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
