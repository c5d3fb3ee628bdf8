package tinynn.runtime.simd;

/**
 * Body of a {@link Parallelism#parallelFor(int, IntRangeBody)} loop: processes the half-open index range
 * {@code [from, to)}. Implementations must be safe to run concurrently on disjoint ranges.
 */
@FunctionalInterface
public interface IntRangeBody {
    void run(int from, int to);
}
