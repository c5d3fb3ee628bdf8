package tinynn.data;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * An unsigned-byte IDX array: its dimensions (outermost first) and its elements in row-major
 * order. Elements are kept as raw bytes; read them with {@link #unsigned(int)} because Java bytes
 * are signed.
 */
public record IdxArray(int[] dims, byte[] data) {

    public IdxArray {
        if (dims.length == 0) {
            throw new IllegalArgumentException("an IDX array needs at least one dimension");
        }
        dims = dims.clone();
        long elements = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("too many elements for one array: " + Arrays.toString(dims));
            }
        }
        if (elements != data.length) {
            throw new IllegalArgumentException(
                    "dims " + Arrays.toString(dims) + " need " + elements + " bytes but data has " + data.length);
        }
    }

    /** A copy, so callers cannot reshape the array behind {@code data}'s back. */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int unsigned(int index) {
        return data[index] & 0xFF;
    }

    /** Dimensions as users write them, e.g. {@code 60000x28x28}. */
    public String shape() {
        return shape(dims);
    }

    static String shape(int[] dims) {
        StringJoiner joiner = new StringJoiner("x");
        for (int d : dims) {
            joiner.add(Integer.toString(d));
        }
        return joiner.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdxArray that && Arrays.equals(dims, that.dims) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray[" + shape() + "]";
    }
}
