package tinynn.graph;

import java.util.random.RandomGenerator;

/** Produces the starting values of a parameter, row-major. */
@FunctionalInterface
public interface Initializer {

    double[] values(Shape shape, RandomGenerator rng);

    /** Name and settings for model files and printing, e.g. "xavier_uniform". */
    default String describe() { return getClass().getSimpleName(); }
}
