package tinynn.data;

import java.util.SplittableRandom;

/**
 * Examples held out of a training set for validation: a seeded random choice of
 * {@code round(fraction * count)} examples (at least one, leaving at least one to train on). The
 * same (data, fraction, seed) always gives the same split, so a resumed run validates on the same
 * examples; both parts keep the examples' original order.
 */
public record ValidationSplit(ImageDataset train, ImageDataset validation) {

    /** Salt so the split does not share a stream with weight initialisation or shuffling from the same seed. */
    private static final long SALT = 0x56414c5f53504c54L; // "VAL_SPLT"

    public static ValidationSplit of(ImageDataset data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation split must be between 0 and 1 (exclusive), got " + fraction);
        }
        int n = data.count();
        if (n < 2) throw new IllegalArgumentException("validation split needs at least 2 training examples, got " + n);
        boolean[] isVal = heldOut(n, fraction, seed);
        int held = 0;
        for (boolean b : isVal) if (b) held++;
        int w = data.features();
        byte[] trP = new byte[(n - held) * w], vaP = new byte[held * w];
        byte[] trL = new byte[n - held], vaL = new byte[held];
        int t = 0, v = 0;
        for (int i = 0; i < n; i++) {
            if (isVal[i]) {
                System.arraycopy(data.pixels(), i * w, vaP, v * w, w);
                vaL[v++] = data.labels()[i];
            } else {
                System.arraycopy(data.pixels(), i * w, trP, t * w, w);
                trL[t++] = data.labels()[i];
            }
        }
        return new ValidationSplit(new ImageDataset(n - held, data.rows(), data.cols(), trP, trL, data.numClasses(), data.channels()),
                new ImageDataset(held, data.rows(), data.cols(), vaP, vaL, data.numClasses(), data.channels()));
    }

    /**
     * Which of n examples a split with this fraction and seed holds out: a seeded random {@code round(fraction · n)}
     * of them, at least one and leaving at least one (n ≥ 2). Image and text splits both choose through it.
     */
    public static boolean[] heldOut(int n, double fraction, long seed) {
        int held = (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
        // Partial Fisher-Yates: the first `held` entries of a seeded permutation are the validation examples.
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed ^ SALT);
        boolean[] isVal = new boolean[n];
        for (int i = 0; i < held; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            isVal[idx[i]] = true;
        }
        return isVal;
    }
}
