package tinynn.serialization;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeds for the randomized (property-style) tests. Deterministic by default so CI is reproducible; set
 * {@code -Dtinynn.test.seed=N} to explore other cases. Each failing case shows its seed in the test name, and
 * {@link RandomModels#create} rebuilds the exact input from it.
 */
final class Seeds {

  private Seeds() {}

  static LongStream of(int count) {
    long master = Long.getLong("tinynn.test.seed", 0x7e57_5eed_2025L);
    return new SplittableRandom(master).longs(count);
  }
}
