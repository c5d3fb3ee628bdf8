package tinynn.examples;

import java.util.SplittableRandom;
import tinynn.runtime.Tensor;

/**
 * Experience replay (Mnih et al. 2015): the last {@code capacity} transitions (s, a, r, s', terminal) in a ring, from
 * which training draws uniform random mini-batches. Consecutive steps of one episode are nearly the same state;
 * sampling across many episodes breaks that correlation, and each transition is learnt from many times.
 *
 * <p>{@code terminal} is true only when the episode truly ended (the pole fell): then s' has no future and the
 * target is r alone. A time-limit cut is not terminal, so its target still bootstraps from s'.
 */
public final class ReplayBuffer {

    /**
     * One mini-batch, filled in place by {@link #sample} (no allocation per training step): states and next states
     * [batch, stateSize] ready to feed a model, and per row the action, reward and whether s' was terminal.
     */
    public static final class Batch {
        public final Tensor states, nextStates;
        public final int[] actions;
        public final double[] rewards;
        public final boolean[] terminal;

        public Batch(int size, int stateSize) {
            states = Tensor.zeros(tinynn.graph.DType.F32, tinynn.graph.Shape.of(size, stateSize));
            nextStates = Tensor.zeros(tinynn.graph.DType.F32, tinynn.graph.Shape.of(size, stateSize));
            actions = new int[size];
            rewards = new double[size];
            terminal = new boolean[size];
        }

        public int size() { return actions.length; }
    }

    private final int capacity, stateSize;
    private final double[] states, nextStates, rewards;
    private final int[] actions;
    private final boolean[] terminal;
    private int size, next;

    public ReplayBuffer(int capacity, int stateSize) {
        if (capacity < 1 || stateSize < 1) throw new IllegalArgumentException("replay buffer: capacity and stateSize must be at least 1");
        this.capacity = capacity;
        this.stateSize = stateSize;
        states = new double[capacity * stateSize];
        nextStates = new double[capacity * stateSize];
        rewards = new double[capacity];
        actions = new int[capacity];
        terminal = new boolean[capacity];
    }

    /** Transitions held: grows to the capacity, then each new one replaces the oldest. */
    public int size() { return size; }

    public int capacity() { return capacity; }

    public void add(double[] state, int action, double reward, double[] nextState, boolean isTerminal) {
        if (state.length != stateSize || nextState.length != stateSize) {
            throw new IllegalArgumentException("replay buffer: states have " + stateSize + " values, got " + state.length + " and " + nextState.length);
        }
        System.arraycopy(state, 0, states, next * stateSize, stateSize);
        System.arraycopy(nextState, 0, nextStates, next * stateSize, stateSize);
        actions[next] = action;
        rewards[next] = reward;
        terminal[next] = isTerminal;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /** Fills {@code batch} with transitions drawn uniformly, with replacement, from those held. */
    public void sample(SplittableRandom rng, Batch batch) {
        if (size == 0) throw new IllegalStateException("replay buffer: sample() needs at least one transition; add some first");
        if (batch.states.shape().dim(1) != stateSize) {
            throw new IllegalArgumentException("replay buffer: the batch holds states of " + batch.states.shape().dim(1) + " values, the buffer " + stateSize);
        }
        for (int row = 0; row < batch.size(); row++) {
            int i = rng.nextInt(size);
            for (int k = 0; k < stateSize; k++) {
                batch.states.set(row * stateSize + k, states[i * stateSize + k]);
                batch.nextStates.set(row * stateSize + k, nextStates[i * stateSize + k]);
            }
            batch.actions[row] = actions[i];
            batch.rewards[row] = rewards[i];
            batch.terminal[row] = terminal[i];
        }
    }
}
