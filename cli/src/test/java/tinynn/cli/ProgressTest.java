package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines on a simulated clock: the ETA follows the recent speed, not the slow first steps. */
class ProgressTest {
    static final long MS = 1_000_000L;

    /** 400 steps: the first takes 60 s (JIT warm-up, as the first steps of a run do), the others 20 ms. */
    @Test void etaIgnoresTheWarmUpSteps() {
        long[] now = {0};
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), Progress.Mode.LINES, () -> now[0]);
        p.startEpoch(0, 1, 400, 128);
        for (int step = 1; step <= 400; step++) {
            now[0] += step == 1 ? 60_000 * MS : 20 * MS;
            p.step(step, step, 0.5);
        }
        List<String> lines = text.toString().lines().toList();
        assertEquals(3, lines.size(), text::toString);
        // at step 100 of 400: 300 steps of 20 ms to go (the whole-epoch average would say 3:06)
        assertEquals("  epoch 1/1 step 100/400 loss 0.5000 6,400 img/s ETA 6s", lines.get(0));
        assertEquals("  epoch 1/1 step 200/400 loss 0.5000 6,400 img/s ETA 4s", lines.get(1));
    }

    /**
     * A warm-up as measured on the JVM: a 3 s first step, ten steps of 250 ms (before the JIT's
     * optimising compiler), then 20 ms steps. No ETA in the first second after the first step, and
     * from 3 s after the warm-up on (the window's length) the ETA is within a quarter of the truth.
     */
    @Test void etaSettlesSoonAfterTheWarmUp() {
        int steps = 600;
        long[] duration = new long[steps + 1];
        for (int s = 1; s <= steps; s++) duration[s] = s == 1 ? 3000 * MS : s <= 11 ? 250 * MS : 20 * MS;
        long warmEnd = 3000 * MS + 10 * 250 * MS;
        long[] now = {0};
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), Progress.Mode.BAR, () -> now[0]);
        p.startEpoch(0, 1, steps, 128);
        int checked = 0;
        for (int s = 1; s <= steps; s++) {
            now[0] += duration[s];
            int before = text.getBuffer().length();
            p.step(s, s, 1);
            String drawn = text.getBuffer().substring(before);
            if (drawn.isEmpty()) continue;
            if (now[0] < 4000 * MS) assertTrue(drawn.contains("ETA -"), "step " + s + ": " + drawn);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("ETA (\\d+)s").matcher(drawn);
            if (now[0] >= warmEnd + 3000 * MS && m.find()) {
                double truth = (steps - s) * 0.020;
                int eta = Integer.parseInt(m.group(1));
                assertTrue(Math.abs(eta - truth) <= 0.25 * truth + 1, "step " + s + ": ETA " + eta + " s, " + truth + " s to go");
                checked++;
            }
        }
        assertTrue(checked > 10, text::toString);
    }

    @Test void noEtaUntilASecondOfStepsIsTimed() {
        long[] now = {0};
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), Progress.Mode.LINES, () -> now[0]);
        p.startEpoch(0, 2, 8, 16);
        for (int step = 1; step <= 8; step++) {
            now[0] += 100 * MS;
            p.step(step, step, 1);
        }
        assertTrue(text.toString().lines().allMatch(l -> l.endsWith("ETA -")), text::toString);
    }

    @Test void theLauncherTellsWhetherStderrIsATerminal() {
        assertTrue(Progress.isTerminal("1"));
        assertFalse(Progress.isTerminal("0"));
    }
}
