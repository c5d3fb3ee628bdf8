package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cart-pole physics against steps of the equations worked out by hand, and Gym's CartPole-v0 rules. */
class CartPoleTest {

    static double[] step(double[] s, int action) {
        CartPole env = new CartPole(1);
        env.reset(s[0], s[1], s[2], s[3]);
        return env.step(action).observation();
    }

    /**
     * From rest and upright, sin θ = 0 and cos θ = 1: temp = ±10/1.1, θ̈ = ∓(100/11)/(0.5·(4/3 − 0.1/1.1)) = ∓600/41,
     * ẍ = temp − 0.05·θ̈/1.1 = ±400/41. Euler leaves x and θ at 0 (their old velocities are 0) and gives
     * ẋ = 0.02·ẍ = ±8/41, θ̇ = 0.02·θ̈ = ∓12/41: pushing right tips the pole left.
     */
    @Test void fromRestAPushMovesTheCartAndTipsThePoleTheOtherWay() {
        double[] zero = {0, 0, 0, 0};
        assertArrayEquals(new double[] {0, 8.0 / 41, 0, -12.0 / 41}, step(zero, 1), 1e-12);
        assertArrayEquals(new double[] {0, -8.0 / 41, 0, 12.0 / 41}, step(zero, 0), 1e-12);
    }

    /**
     * s = (0.1, −0.2, 0.05, 0.3): sin θ = 0.0499792, cos θ = 0.9987503, m_p·l·θ̇²·sin θ = 0.05·0.09·0.0499792 = 2.2491e-4.
     * Right (F = 10): temp = 10.0002249/1.1 = 9.0911136, θ̈ = (0.4897959 − 9.0797520)/(0.5·(4/3 − 0.0906820)) = −13.8252074,
     * ẍ = 9.0911136 + 0.05·13.8252074·0.9987503/1.1 = 9.7187467. Left (F = −10): temp = −9.0907046, θ̈ = 15.4011657,
     * ẍ = −9.7898827. Then x = 0.1 − 0.02·0.2 = 0.096, θ = 0.05 + 0.02·0.3 = 0.056, ẋ = −0.2 + 0.02·ẍ, θ̇ = 0.3 + 0.02·θ̈.
     */
    @Test void aTiltedMovingStateFollowsTheEquations() {
        double[] s = {0.1, -0.2, 0.05, 0.3};
        assertArrayEquals(new double[] {0.096, -0.2 + 0.02 * 9.7187467, 0.056, 0.3 + 0.02 * -13.8252074}, step(s, 1), 1e-8);
        assertArrayEquals(new double[] {0.096, -0.2 + 0.02 * -9.7898827, 0.056, 0.3 + 0.02 * 15.4011657}, step(s, 0), 1e-8);
    }

    @Test void theEpisodeTerminatesWhenTheCartLeavesTheTrackOrThePoleFallsPast12Degrees() {
        assertEquals(12 * 2 * Math.PI / 360, CartPole.THETA_LIMIT, 1e-15);
        CartPole env = new CartPole(1);
        // x moves by τ·ẋ = 0.02 first: 2.39 → 2.41 leaves the track, 2.37 → 2.39 does not.
        env.reset(2.39, 1, 0, 0);
        CartPole.Step out = env.step(1);
        assertTrue(out.terminated() && !out.truncated() && out.done());
        assertEquals(1, out.reward(), "the last step earns its reward too");
        env.reset(-2.39, -1, 0, 0);
        assertTrue(env.step(0).terminated());
        env.reset(2.37, 1, 0, 0);
        assertFalse(env.step(1).done());
        // θ moves by τ·θ̇ = 0.004: 0.207 → 0.211 is past 0.20944 rad, 0.203 → 0.207 is not.
        env.reset(0, 0, 0.207, 0.2);
        assertTrue(env.step(1).terminated());
        env.reset(0, 0, -0.207, -0.2);
        assertTrue(env.step(0).terminated());
        env.reset(0, 0, 0.203, 0.2);
        assertFalse(env.step(1).done());
        assertThrows(IllegalStateException.class, () -> {
            CartPole ended = new CartPole(1);
            ended.reset(2.39, 1, 0, 0);
            ended.step(1);
            ended.step(1);
        });
        env.reset();
        assertThrows(IllegalArgumentException.class, () -> env.step(2), "actions are 0 and 1");
    }

    @Test void theClockTruncatesAtTheStepCapWithoutTerminating() {
        CartPole env = new CartPole(3, 1);
        env.reset(0, 0, 0, 0);
        assertFalse(env.step(1).done());
        assertFalse(env.step(0).done());
        CartPole.Step last = env.step(1);
        assertTrue(last.truncated() && !last.terminated());
        assertThrows(IllegalStateException.class, () -> env.step(0), "stepping an ended episode");
        assertEquals(200, new CartPole(1).maxSteps(), "CartPole-v0 episodes last at most 200 steps");
        CartPole fallsAtTheCap = new CartPole(1, 1);
        fallsAtTheCap.reset(2.39, 1, 0, 0);
        CartPole.Step both = fallsAtTheCap.step(1);
        assertTrue(both.terminated() && !both.truncated(), "a fall on the last step is a fall, with no future to bootstrap");
    }

    @Test void startsAreUniformWithin5HundredthsAndSeeded() {
        CartPole a = new CartPole(7), b = new CartPole(7), c = new CartPole(8);
        double min = 1, max = -1;
        for (int e = 0; e < 500; e++) {
            double[] s = a.reset();
            assertArrayEquals(s, b.reset(), 0);
            for (double v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertTrue(min >= -0.05 && max <= 0.05 && min < -0.049 && max > 0.049, min + " .. " + max);
        assertFalse(Arrays.equals(new CartPole(7).reset(), c.reset()));
    }

    /** Gym's CartPole-v0 under uniformly random actions lasts about 22 steps; broken dynamics would not. */
    @Test void aRandomPolicyLastsAbout22Steps() {
        double mean = randomPolicyReturn(3, 4, 2000);
        assertTrue(mean > 19 && mean < 25, "random policy's mean return " + mean);
    }

    /** The mean return of uniformly random actions over {@code episodes} episodes (the baseline a learnt policy must beat). */
    static double randomPolicyReturn(long envSeed, long actionSeed, int episodes) {
        CartPole env = new CartPole(envSeed);
        SplittableRandom rng = new SplittableRandom(actionSeed);
        double total = 0;
        for (int e = 0; e < episodes; e++) {
            env.reset();
            CartPole.Step s;
            do {
                s = env.step(rng.nextInt(2));
                total += s.reward();
            } while (!s.done());
        }
        return total / episodes;
    }
}
