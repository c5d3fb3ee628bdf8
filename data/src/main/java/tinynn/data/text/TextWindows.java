package tinynn.data.text;

import tinynn.data.DataException;

/**
 * A text cut into training examples for next-character prediction: window k's inputs are the ids of
 * characters [k·T, k·T + T) and its targets those of [k·T + 1, k·T + T + 1), T = {@code length}; consecutive
 * windows share one character (a window's last target is the next window's first input), none is skipped.
 * Ids are floats because models take float tensors.
 *
 * @param inputs  {@code count × length} ids, window-major
 * @param targets {@code count × length} ids of the next characters
 */
public record TextWindows(int count, int length, float[] inputs, float[] targets) {

    /** Training and validation windows, see {@link #split}. */
    public record Split(TextWindows train, TextWindows validation) {}

    /** Every window of the text, in text order. */
    public static TextWindows of(TextCorpus text, int length) {
        int n = windows(text, length);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return gather(text.ids(), length, all, 0, n);
    }

    /**
     * The windows with a seeded random {@code round(fraction · count)} of them held out for validation (at least
     * one, leaving at least one; {@code fraction} 0 holds none out and validation is null). The same (text, length,
     * fraction, seed) always gives the same split; both parts keep text order (the trainer shuffles).
     */
    public static Split split(TextCorpus text, int length, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        int n = windows(text, length);
        if (fraction == 0) return new Split(of(text, length), null);
        if (n < 2) {
            throw new DataException(text.source() + ": " + text.length() + " characters make " + n + " window of " + length
                    + " characters; validation needs at least 2: use a longer text or a shorter sequence length");
        }
        boolean[] isVal = tinynn.data.ValidationSplit.heldOut(n, fraction, seed);
        int held = 0;
        for (boolean b : isVal) if (b) held++;
        int[] tr = new int[n - held], va = new int[held];
        int t = 0, v = 0;
        for (int i = 0; i < n; i++) {
            if (isVal[i]) va[v++] = i;
            else tr[t++] = i;
        }
        return new Split(gather(text.ids(), length, tr, 0, tr.length), gather(text.ids(), length, va, 0, va.length));
    }

    /** How many windows of {@code length} the text makes: (characters − 1) / length, at least one. */
    static int windows(TextCorpus text, int length) {
        if (length < 1) throw new IllegalArgumentException("sequence length must be at least 1, got " + length);
        int n = (text.length() - 1) / length;
        if (n < 1) {
            throw new DataException(text.source() + ": the text has " + text.length() + " characters; a sequence length of " + length
                    + " needs at least " + (length + 1) + " (use a shorter sequence length)");
        }
        return n;
    }

    private static TextWindows gather(int[] ids, int length, int[] which, int from, int count) {
        float[] x = new float[count * length], y = new float[count * length];
        for (int k = 0; k < count; k++) {
            int start = which[from + k] * length;
            for (int j = 0; j < length; j++) {
                x[k * length + j] = ids[start + j];
                y[k * length + j] = ids[start + j + 1];
            }
        }
        return new TextWindows(count, length, x, y);
    }
}
