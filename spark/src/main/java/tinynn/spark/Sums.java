package tinynn.spark;

import java.io.Serializable;

/**
 * What partitions send back and treeAggregate adds up: arrays aligned with a {@link Snapshot}'s names (and slot
 * keys), each partition's already weighted, plus the weighted loss. The zero value is empty (no arrays): a
 * full-size zero would be serialised into every task, and adding to nothing copies no numbers, so with two
 * partitions the sum is one float addition per element, the same whichever task finishes first.
 */
final class Sums implements Serializable {
    Values[] values;
    /** Names of the optimizer-state arrays that follow the parameters' in {@link #values} (model averaging); empty otherwise. */
    String[] slotKeys = new String[0];
    double loss;
    /** Partitions added in: the driver checks that every partition took part. */
    int parts;
    /** The slowest partition's time to fetch the broadcast snapshot and to compute, in nanoseconds (for the round's time split). */
    long fetchNanos, computeNanos;

    static Sums empty() { return new Sums(); }

    static Sums of(Values[] values, String[] slotKeys, double loss, long fetchNanos, long computeNanos) {
        Sums s = new Sums();
        s.values = values;
        s.slotKeys = slotKeys;
        s.loss = loss;
        s.parts = 1;
        s.fetchNanos = fetchNanos;
        s.computeNanos = computeNanos;
        return s;
    }

    /** Adds {@code other} into this (Spark lets aggregate functions modify and return their first argument). */
    static Sums add(Sums a, Sums b) {
        if (b.values == null) return a;
        if (a.values == null) return b;
        if (!java.util.Arrays.equals(a.slotKeys, b.slotKeys) || a.values.length != b.values.length) {
            throw new IllegalStateException("partitions returned different optimizer state (" + String.join(",", a.slotKeys) + " vs "
                    + String.join(",", b.slotKeys) + ")");
        }
        for (int i = 0; i < a.values.length; i++) a.values[i].add(b.values[i]);
        a.loss += b.loss;
        a.parts += b.parts;
        a.fetchNanos = Math.max(a.fetchNanos, b.fetchNanos);
        a.computeNanos = Math.max(a.computeNanos, b.computeNanos);
        return a;
    }
}
