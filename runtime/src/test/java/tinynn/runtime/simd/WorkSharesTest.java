package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class WorkSharesTest {

    @Property(tries = 300)
    void everyUnitIsClaimedExactlyOnce(@ForAll @IntRange(min = 0, max = 300) int units,
                                       @ForAll @IntRange(min = 1, max = 3) int threads) {
        WorkShares shares = new WorkShares();
        shares.reset(units, threads);
        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(units, 1));
        Parallelism par = threads == 1 ? Parallelism.serial() : threads == 2 ? GemmTest.TWO : ParallelismTest.THREE;
        par.parallelFor(threads, (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int u; (u = shares.claim(t)) >= 0; ) hits.incrementAndGet(u);
            }
        });
        for (int u = 0; u < units; u++) assertEquals(1, hits.get(u), "unit " + u + " of " + units + " on " + threads + " threads");
    }

    @Test
    void aThreadTakesItsOwnShareInOrderThenTheOthersFromTheirBack() {
        WorkShares shares = new WorkShares();
        shares.reset(10, 2);               // shares [0, 5) and [5, 10)
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) first.add(shares.claim(0));
        assertEquals(List.of(0, 1, 2), first);
        assertEquals(5, shares.claim(1));
        // Thread 0 finishes its share, then helps thread 1 from the far end.
        assertEquals(3, shares.claim(0));
        assertEquals(4, shares.claim(0));
        assertEquals(9, shares.claim(0));
        assertEquals(8, shares.claim(0));
        assertEquals(6, shares.claim(1));
        assertEquals(7, shares.claim(0));
        assertEquals(-1, shares.claim(1));
        assertEquals(-1, shares.claim(0));
    }

    @Test
    void resetReusesAndGrows() {
        WorkShares shares = new WorkShares();
        shares.reset(7, 5);
        int claimed = 0;
        for (int t = 0; t < 5; t++) while (shares.claim(t) >= 0) claimed++;
        assertEquals(7, claimed);
        shares.reset(4, 1);
        List<Integer> order = new ArrayList<>();
        for (int u; (u = shares.claim(0)) >= 0; ) order.add(u);
        assertEquals(List.of(0, 1, 2, 3), order);
        assertTrue(shares.claim(0) < 0);
    }
}
