package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ring of transitions: rows stay whole, the oldest go first, draws are seeded. */
class ReplayBufferTest {

    /** Transition i: state (i, i, i, i), action i % 2, reward i, next state (i + 0.5, ...), terminal when i % 3 == 0. */
    static void add(ReplayBuffer b, int i) {
        double[] s = {i, i, i, i}, next = {i + 0.5, i + 0.5, i + 0.5, i + 0.5};
        b.add(s, i % 2, i, next, i % 3 == 0);
    }

    @Test void everySampledRowIsOneWholeTransitionAndOnlyTheNewestAreKept() {
        ReplayBuffer b = new ReplayBuffer(10, 4);
        for (int i = 0; i < 25; i++) add(b, i);
        assertEquals(10, b.size());
        ReplayBuffer.Batch batch = new ReplayBuffer.Batch(200, 4);
        b.sample(new SplittableRandom(1), batch);
        Set<Integer> seen = new HashSet<>();
        for (int r = 0; r < batch.size(); r++) {
            int i = (int) batch.rewards[r];
            seen.add(i);
            assertTrue(i >= 15 && i < 25, "transition " + i + " should have been replaced");
            for (int k = 0; k < 4; k++) {
                assertEquals(i, batch.states.get(r * 4 + k));
                assertEquals(i + 0.5, batch.nextStates.get(r * 4 + k));
            }
            assertEquals(i % 2, batch.actions[r]);
            assertEquals(i % 3 == 0, batch.terminal[r]);
        }
        assertEquals(10, seen.size(), "200 uniform draws from 10 should see them all");
    }

    @Test void theSameSeedDrawsTheSameBatch() {
        ReplayBuffer b = new ReplayBuffer(100, 4);
        for (int i = 0; i < 50; i++) add(b, i);
        ReplayBuffer.Batch x = new ReplayBuffer.Batch(16, 4), y = new ReplayBuffer.Batch(16, 4), z = new ReplayBuffer.Batch(16, 4);
        b.sample(new SplittableRandom(5), x);
        b.sample(new SplittableRandom(5), y);
        b.sample(new SplittableRandom(6), z);
        assertArrayEquals(x.rewards, y.rewards);
        assertTrue(!java.util.Arrays.equals(x.rewards, z.rewards));
    }

    @Test void misuseIsRefused() {
        ReplayBuffer b = new ReplayBuffer(4, 4);
        assertThrows(IllegalStateException.class, () -> b.sample(new SplittableRandom(1), new ReplayBuffer.Batch(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> b.add(new double[3], 0, 1, new double[4], false));
        add(b, 1);
        assertThrows(IllegalArgumentException.class, () -> b.sample(new SplittableRandom(1), new ReplayBuffer.Batch(2, 3)));
    }
}
