package tinynn.examples;

import java.util.SplittableRandom;

/**
 * The cart-pole balancing task of Barto, Sutton &amp; Anderson (1983), "Neuronlike adaptive elements that can solve
 * difficult learning control problems", IEEE Trans. SMC 13(5), with the equations, constants and rules of Gym's
 * CartPole-v0 (gym/envs/classic_control/cartpole.py: the frictionless dynamics).
 *
 * <p>State s = (x, ẋ, θ, θ̇): cart position (m), cart velocity, pole angle from upright (rad), angular velocity.
 * Action 0 pushes the cart left, 1 right, with force F = ∓{@value #FORCE_MAG} N. With g = {@value #GRAVITY},
 * m_c = {@value #MASS_CART}, m_p = {@value #MASS_POLE}, l = {@value #HALF_LENGTH} (half the pole's length),
 * M = m_c + m_p:
 * <pre>
 *   temp = (F + m_p·l·θ̇²·sin θ) / M
 *   θ̈    = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / M))
 *   ẍ    = temp − m_p·l·θ̈·cos θ / M
 * </pre>
 * integrated by Euler with τ = {@value #TAU} s, positions first from the old velocities:
 * x += τ·ẋ, ẋ += τ·ẍ, θ += τ·θ̇, θ̇ += τ·θ̈.
 *
 * <p>Every step earns reward 1, the last one included. The episode <em>terminates</em> (the pole fell, a true end
 * with no future reward) when |x| &gt; {@value #X_LIMIT} or |θ| &gt; 12·2π/360 rad; it is <em>truncated</em> (cut off
 * by the clock; the state still has a future) after {@link #maxSteps} steps, 200 for v0, whose task counts as solved
 * at an average return of at least 195 over 100 consecutive episodes. A reset draws each of the four state
 * variables uniformly from [−0.05, 0.05] with the environment's seeded generator.
 */
public final class CartPole {
    public static final double GRAVITY = 9.8;
    public static final double MASS_CART = 1.0;
    public static final double MASS_POLE = 0.1;
    public static final double HALF_LENGTH = 0.5;
    public static final double FORCE_MAG = 10.0;
    public static final double TAU = 0.02;
    public static final double X_LIMIT = 2.4;
    public static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;
    /** CartPole-v0's episode length. */
    public static final int V0_MAX_STEPS = 200;
    /** CartPole-v0's "solved": this average return over 100 consecutive episodes. */
    public static final double V0_SOLVED = 195;
    /** Values in an observation. */
    public static final int STATE_SIZE = 4;
    public static final int ACTIONS = 2;

    private static final double TOTAL_MASS = MASS_CART + MASS_POLE;
    private static final double POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;

    /** What a step returns: the new observation, its reward, and whether the episode ended and why. */
    public record Step(double[] observation, double reward, boolean terminated, boolean truncated) {
        public boolean done() { return terminated || truncated; }
    }

    private final int maxSteps;
    private final SplittableRandom rng;
    private final double[] state = new double[STATE_SIZE];
    private int steps;
    private boolean done = true;

    /** A CartPole-v0: episodes of at most 200 steps, starts drawn from {@code seed}. */
    public CartPole(long seed) { this(V0_MAX_STEPS, seed); }

    public CartPole(int maxSteps, long seed) {
        if (maxSteps < 1) throw new IllegalArgumentException("cart-pole: maxSteps must be at least 1, got " + maxSteps);
        this.maxSteps = maxSteps;
        this.rng = new SplittableRandom(seed);
    }

    public int maxSteps() { return maxSteps; }

    /** Starts an episode from a random state near upright and returns its observation. */
    public double[] reset() {
        for (int i = 0; i < STATE_SIZE; i++) state[i] = rng.nextDouble(-0.05, 0.05);
        steps = 0;
        done = false;
        return state.clone();
    }

    /** Starts an episode from a given state (x, ẋ, θ, θ̇), e.g. to check the physics. */
    public double[] reset(double x, double xDot, double theta, double thetaDot) {
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;
        steps = 0;
        done = false;
        return state.clone();
    }

    /** Pushes the cart (0 left, 1 right) for one time step τ. */
    public Step step(int action) {
        if (done) throw new IllegalStateException("cart-pole: the episode has ended; call reset() before step()");
        if (action != 0 && action != 1) throw new IllegalArgumentException("cart-pole: action must be 0 (left) or 1 (right), got " + action);
        next(state, action);
        steps++;
        boolean terminated = Math.abs(state[0]) > X_LIMIT || Math.abs(state[2]) > THETA_LIMIT;
        boolean truncated = !terminated && steps >= maxSteps;
        done = terminated || truncated;
        return new Step(state.clone(), 1.0, terminated, truncated);
    }

    /** The equations of the class comment: advances s = (x, ẋ, θ, θ̇) by one Euler step of τ in place. */
    static void next(double[] s, int action) {
        double x = s[0], xDot = s[1], theta = s[2], thetaDot = s[3];
        double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
        double cos = Math.cos(theta), sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        s[0] = x + TAU * xDot;
        s[1] = xDot + TAU * xAcc;
        s[2] = theta + TAU * thetaDot;
        s[3] = thetaDot + TAU * thetaAcc;
    }
}
