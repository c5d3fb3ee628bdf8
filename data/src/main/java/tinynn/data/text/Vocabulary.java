package tinynn.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The characters of a text model: its distinct Unicode code points in ascending order, id = position.
 * Sorted so that the same text always gives the same ids, whatever order the characters first appear in.
 * A model file keeps it as metadata ({@link #toMetadata}: the code points in decimal, comma-separated),
 * which survives any character, newline and comma included.
 */
public final class Vocabulary {
    private final int[] codePoints;

    private Vocabulary(int[] ascending) { this.codePoints = ascending; }

    /** The distinct code points of {@code text}. */
    public static Vocabulary of(CharSequence text) {
        return new Vocabulary(text.codePoints().sorted().distinct().toArray());
    }

    /** A vocabulary of these code points (any order, no repeats). */
    public static Vocabulary ofCodePoints(int... codePoints) {
        int[] c = codePoints.clone();
        Arrays.sort(c);
        for (int i = 0; i < c.length; i++) {
            if (!Character.isValidCodePoint(c[i]) || c[i] >= Character.MIN_SURROGATE && c[i] <= Character.MAX_SURROGATE) {
                throw new IllegalArgumentException("vocabulary: " + c[i] + " is not a Unicode scalar value");
            }
            if (i > 0 && c[i] == c[i - 1]) throw new IllegalArgumentException("vocabulary: code point " + c[i] + " appears twice");
        }
        if (c.length == 0) throw new IllegalArgumentException("vocabulary: no characters");
        return new Vocabulary(c);
    }

    /** Reads {@link #toMetadata}'s form; an IllegalArgumentException says what is wrong. */
    public static Vocabulary fromMetadata(String s) {
        String[] parts = s.split(",", -1);
        int[] c = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                c[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("vocabulary: entry " + i + " ('" + parts[i] + "') is not a code point number");
            }
        }
        return ofCodePoints(c);
    }

    /** The code points in decimal, ascending, comma-separated: "10,32,33,...". */
    public String toMetadata() {
        return Arrays.stream(codePoints).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    public int size() { return codePoints.length; }

    /** The id of a code point, or -1 when it is not in the vocabulary. */
    public int id(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    public int codePoint(int id) { return codePoints[id]; }

    /** The character of an id, as a string (one or two chars). */
    public String text(int id) { return Character.toString(codePoints[id]); }

    /** The distinct code points of {@code s} that are not in the vocabulary, in order of first appearance. */
    public List<Integer> missing(CharSequence s) {
        List<Integer> out = new ArrayList<>();
        s.codePoints().filter(cp -> id(cp) < 0).distinct().forEach(out::add);
        return out;
    }

    /** The ids of {@code s}; an IllegalArgumentException names its characters that are not in the vocabulary. */
    public int[] encode(CharSequence s) {
        List<Integer> missing = missing(s);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("character" + (missing.size() > 1 ? "s " : " ")
                    + missing.stream().map(Vocabulary::describe).collect(Collectors.joining(", ")) + " not in the vocabulary");
        }
        return s.codePoints().map(this::id).toArray();
    }

    /** A character as an error message shows it: 'x', or U+000A for control characters, spaces and the like. */
    public static String describe(int codePoint) {
        boolean visible = !Character.isISOControl(codePoint) && !Character.isWhitespace(codePoint) && !Character.isSpaceChar(codePoint)
                && Character.getType(codePoint) != Character.FORMAT && Character.isDefined(codePoint);
        return visible ? "'" + Character.toString(codePoint) + "'" : String.format("U+%04X", codePoint);
    }

    @Override public boolean equals(Object o) { return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints); }

    @Override public int hashCode() { return Arrays.hashCode(codePoints); }

    @Override public String toString() { return "Vocabulary(" + codePoints.length + " characters)"; }
}
