package tinynn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where start-up time goes: with {@code -Dtinynn.trace=startup} (also on the native binary:
 * {@code tinynn -Dtinynn.trace=startup predict m.tnn d.png}) each phase's end is noted with
 * {@link System#nanoTime} and printed on stderr before exit, as absolute CLOCK_MONOTONIC nanoseconds
 * (so a parent that reads the same clock before it starts the process can time what comes before
 * {@code main}) and as milliseconds since {@code main}. Off, {@link #mark} is one static boolean test.
 * See docs/native.md, "Start-up".
 */
final class StartupTrace {
    static final String PROPERTY = "tinynn.trace";

    private static final boolean ON = "startup".equals(System.getProperty(PROPERTY));
    private static final List<String> NAMES = ON ? new ArrayList<>() : null;
    private static final List<Long> TIMES = ON ? new ArrayList<>() : null;

    private StartupTrace() {}

    /** Notes that the phase {@code name} ended now. */
    static void mark(String name) {
        if (!ON) return;
        long t = System.nanoTime();
        synchronized (NAMES) {
            NAMES.add(name);
            TIMES.add(t);
        }
    }

    /** Prints the phases noted so far, the first one being {@code main}'s entry. */
    static void print(PrintStream err) {
        if (!ON) return;
        synchronized (NAMES) {
            if (TIMES.isEmpty()) return;
            long start = TIMES.getFirst(), previous = start;
            for (int i = 0; i < NAMES.size(); i++) {
                long t = TIMES.get(i);
                err.printf("startup %-24s at %d ns  +%.3f ms  (%.3f ms since main)%n",
                        NAMES.get(i), t, (t - previous) / 1e6, (t - start) / 1e6);
                previous = t;
            }
            err.flush();
        }
    }
}
