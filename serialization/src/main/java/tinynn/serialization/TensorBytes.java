package tinynn.serialization;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bulk conversion between Java primitive arrays and the raw little-endian element bytes stored in
 * {@code Tensor.data}. All conversions go through {@link ByteBuffer} views (no per-element loops over a
 * {@link ByteString}) and preserve every bit, including NaN payloads and the sign of zero.
 */
public final class TensorBytes {

    private TensorBytes() {}

    /** The little-endian IEEE-754 binary32 encoding of {@code values}, 4 bytes per element. */
    public static ByteString fromFloats(float[] values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Float.BYTES)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        // The array is never touched again, so wrapping instead of copying is safe.
        return UnsafeByteOperations.unsafeWrap(bytes);
    }

    /** The little-endian IEEE-754 binary64 encoding of {@code values}, 8 bytes per element. */
    public static ByteString fromDoubles(double[] values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Double.BYTES)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values);
        return UnsafeByteOperations.unsafeWrap(bytes);
    }

    /**
     * Decodes little-endian binary32 elements.
     *
     * @throws IllegalArgumentException if the length is not a multiple of 4
     */
    public static float[] toFloats(ByteString bytes) {
        if (bytes.size() % Float.BYTES != 0) {
            throw new IllegalArgumentException(
                    "F32 data has " + bytes.size() + " bytes, which is not a multiple of " + Float.BYTES);
        }
        float[] out = new float[bytes.size() / Float.BYTES];
        bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /**
     * Decodes little-endian binary64 elements.
     *
     * @throws IllegalArgumentException if the length is not a multiple of 8
     */
    public static double[] toDoubles(ByteString bytes) {
        if (bytes.size() % Double.BYTES != 0) {
            throw new IllegalArgumentException(
                    "F64 data has " + bytes.size() + " bytes, which is not a multiple of " + Double.BYTES);
        }
        double[] out = new double[bytes.size() / Double.BYTES];
        bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }
}
