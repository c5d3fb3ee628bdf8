package tinynn.ops.nn;

import java.util.List;
import java.util.Map;

/**
 * A convolution layer's padding as the spec writes it: "valid" (none), "same", or explicit zero padding per
 * side [top, left, bottom, right] (written as one integer for all sides or [h, w] for top/bottom and left/right).
 *
 * <p>"same" is TensorFlow/Keras's rule, for any stride: the output has ⌈in / stride⌉ positions, and the total
 * padding max((out − 1)·stride + dilation·(k − 1) + 1 − in, 0) is split with the odd pixel at the bottom/right
 * (PyTorch's padding='same' allows stride 1 only and is the same split there).
 */
public record ConvPadding(Mode mode, int top, int left, int bottom, int right) {

    public enum Mode { VALID, SAME, EXPLICIT }

    public ConvPadding {
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative, got [" + top + ", " + left + ", " + bottom + ", " + right + "]");
        }
    }

    public static final ConvPadding VALID = new ConvPadding(Mode.VALID, 0, 0, 0, 0);
    public static final ConvPadding SAME = new ConvPadding(Mode.SAME, 0, 0, 0, 0);

    public static ConvPadding explicit(int top, int left, int bottom, int right) { return new ConvPadding(Mode.EXPLICIT, top, left, bottom, right); }

    /** From the attribute {@code key}: "same", "valid", an integer, [h, w] or [top, left, bottom, right]; {@code dflt} when absent. */
    public static ConvPadding parse(Map<String, Object> attrs, String key, ConvPadding dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof String s) {
            return switch (s) {
                case "same" -> SAME;
                case "valid" -> VALID;
                default -> throw new IllegalArgumentException("attribute '" + key + "' must be \"same\", \"valid\" or integers, got \"" + s + "\"");
            };
        }
        int[] p = Attrs.ints(attrs, key, null);
        return switch (p.length) {
            case 1 -> explicit(p[0], p[0], p[0], p[0]);
            case 2 -> explicit(p[0], p[1], p[0], p[1]);
            case 4 -> explicit(p[0], p[1], p[2], p[3]);
            default -> throw new IllegalArgumentException("attribute '" + key + "' takes 1, 2 ([h, w]) or 4 ([top, left, bottom, right]) integers, got " + p.length);
        };
    }

    /** The attribute value {@link #parse} reads back. */
    public Object attr() {
        return switch (mode) {
            case VALID -> "valid";
            case SAME -> "same";
            case EXPLICIT -> List.of(top, left, bottom, right);
        };
    }

    /**
     * [top, left, bottom, right] for an image of h×w and a kernel of kh×kw with these strides and dilations.
     */
    public int[] resolve(int h, int w, int kh, int kw, int sh, int sw, int dh, int dw) {
        return switch (mode) {
            case VALID -> new int[4];
            case EXPLICIT -> new int[] {top, left, bottom, right};
            case SAME -> {
                int th = sameTotal(h, kh, sh, dh), tw = sameTotal(w, kw, sw, dw);
                yield new int[] {th / 2, tw / 2, th - th / 2, tw - tw / 2};
            }
        };
    }

    /** TF's total "same" padding along one axis: enough for ⌈in / stride⌉ outputs. */
    static int sameTotal(int in, int k, int stride, int dilation) {
        int out = Math.ceilDiv(in, stride);
        return Math.max((out - 1) * stride + dilation * (k - 1) + 1 - in, 0);
    }
}
