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
