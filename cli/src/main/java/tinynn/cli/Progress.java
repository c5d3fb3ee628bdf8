package tinynn.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Per-epoch training progress on stderr: a live bar redrawn in place on a terminal, a few plain
 * lines otherwise (logs, pipes, CI), or nothing.
 *
 * <p>Speed and ETA come from the last few seconds, not from the epoch's start: the first steps of a
 * run are many times slower (JIT compilation, first-touch allocation) and would make the ETA of an
 * 8 s epoch read 20 minutes. The ETA shows as "-" until the speed has settled: at least a second
 * timed, and the newer half of the window no more than {@link #STEADY} faster or slower than the whole.
 */
final class Progress {
    enum Mode { AUTO, BAR, LINES, NONE }

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;
    /**
     * Rate samples: one every SAMPLE_NANOS, WINDOW kept; the rate is measured over those of the last
     * MAX_SPAN_NANOS (at least three), so that slow steps leave the estimate within seconds.
     */
    private static final long SAMPLE_NANOS = 250_000_000L;
    private static final int WINDOW = 16;
    private static final long MIN_SPAN_NANOS = 1_000_000_000L;
    private static final long MAX_SPAN_NANOS = 3_000_000_000L;
    private static final double STEADY = 0.15;

    /**
     * Set by bin/tinynn to 1 or 0: whether stderr is a terminal. The launcher pipes the JVM's stderr
     * through a filter, so the JVM cannot tell by itself.
     */
    static final String STDERR_TTY_ENV = "TINYNN_STDERR_TTY";

    private final PrintWriter out;
    private final Mode mode;
    private final LongSupplier clock;
    private final long[] sampleTime = new long[WINDOW];
    private final int[] sampleDone = new int[WINDOW];
    private int samples;
    private boolean settled;
    private int epoch, epochs, steps, batch, lastLine, lastWidth;
    /** What the speed counts: images, or characters of a text model ({@link #characters}). */
    private int perExample = 1;
    private String unit = "img/s";
    private long start, lastDraw;

    Progress(PrintWriter out, Mode mode) {
        this(out, mode, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    Progress(PrintWriter out, Mode mode, LongSupplier clock) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.LINES) : mode;
        this.clock = clock;
    }

    static boolean isTerminal() {
        return isTerminal(System.getenv(STDERR_TTY_ENV));
    }

    static boolean isTerminal(String launcherSays) {
        if (launcherSays != null && !launcherSays.isBlank()) return launcherSays.strip().equals("1");
        var c = System.console();
        return c != null && c.isTerminal();
    }

    Mode mode() { return mode; }

    /** Speeds in characters per second: each example is a sequence of {@code length} characters. */
    Progress characters(int length) {
        this.perExample = length;
        this.unit = "char/s";
        return this;
    }

    void startEpoch(int epoch, int epochs, int steps, int batch) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.steps = steps;
        this.batch = batch;
        this.start = clock.getAsLong();
        this.lastDraw = 0;
        this.lastLine = 0;
        this.samples = 0;
        this.settled = false;
    }

    /** After a step: step is 1-based within the epoch, done counts the steps run in this process. */
    void step(int step, int done, double meanLoss) {
        if (mode == Mode.NONE) return;
        long now = clock.getAsLong();
        sample(now, done);
        // Steps per second over the window (its oldest sample to now) and over its newer half.
        int kept = 0;
        while (kept < Math.min(samples, WINDOW)
                && (kept < 3 || now - sampleTime[Math.floorMod(samples - 1 - kept, WINDOW)] <= MAX_SPAN_NANOS)) {
            kept++;
        }
        int oldest = Math.floorMod(samples - kept, WINDOW);
        int middle = Math.floorMod(samples - kept + kept / 2, WINDOW);
        double window = perSecond(done - sampleDone[oldest], now - sampleTime[oldest]);
        double newer = perSecond(done - sampleDone[middle], now - sampleTime[middle]);
        if (!settled && kept >= 3 && now - sampleTime[oldest] >= MIN_SPAN_NANOS && window > 0
                && Math.abs(newer - window) <= STEADY * window) {
            settled = true;
        }
        double secs = (now - start) / 1e9;
        double stepsPerSec = window > 0 ? window : secs > 0 ? done / secs : 0;
        double rate = stepsPerSec * batch * perExample;
        String eta = settled && window > 0 ? duration((steps - step) / window) : "-";
        if (mode == Mode.BAR) {
            if (now - lastDraw < REDRAW_NANOS && step < steps) return;
            lastDraw = now;
            int filled = steps == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * step / steps);
            String bar = "=".repeat(filled) + (filled < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - filled - 1) : "");
            String line = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d loss %.4f %,.0f %s ETA %s",
                    epoch + 1, epochs, bar, step, steps, meanLoss, rate, unit, eta);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else {
            int quarter = Math.max(1, steps / 4);
            if (step - lastLine < quarter || step == steps) return;
            lastLine = step;
            out.printf(Locale.ROOT, "  epoch %d/%d step %d/%d loss %.4f %,.0f %s ETA %s%n",
                    epoch + 1, epochs, step, steps, meanLoss, rate, unit, eta);
            out.flush();
        }
    }

    private static double perSecond(int steps, long nanos) {
        return steps > 0 && nanos > 0 ? steps / (nanos / 1e9) : 0;
    }

    /** Keeps a sample every SAMPLE_NANOS in a ring of WINDOW; the first is taken after the first step. */
    private void sample(long now, int done) {
        if (samples > 0 && now - sampleTime[(samples - 1) % WINDOW] < SAMPLE_NANOS) return;
        sampleTime[samples % WINDOW] = now;
        sampleDone[samples % WINDOW] = done;
        samples++;
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
