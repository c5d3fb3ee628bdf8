package tinynn.serialization.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tinynn.serialization.onnx.proto.TensorProto;

/**
 * Decodes ONNX TensorProtos (initializers, Constant values) after checking that the declared dims fit the bytes
 * actually present, so a file claiming a [2^40] tensor is rejected before anything is allocated.
 */
final class OnnxTensors {
    /** The most elements one tensor may have (2^28 floats: 1 GiB, the file size limit). */
    static final long MAX_ELEMENTS = 1L << 28;

    private OnnxTensors() {}

    /** A decoded tensor: dims and either float values or integer ones (int64/int32 tensors). */
    record Value(int[] dims, float[] floats, long[] longs) {
        long size() {
            long n = 1;
            for (int d : dims) n *= d;
            return n;
        }

        boolean isInt() { return longs != null; }
    }

    /** The dims of {@code t}, each checked non-negative and their product against {@link #MAX_ELEMENTS}. */
    static int[] dims(TensorProto t, String what) {
        int[] dims = new int[t.getDimsCount()];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > MAX_ELEMENTS || (n *= Math.max(d, 1)) > MAX_ELEMENTS) {
                throw new Bad(what + " declares dims " + t.getDimsList() + ", more than the " + MAX_ELEMENTS + " elements a tensor may have");
            }
            dims[i] = (int) d;
        }
        return dims;
    }

    static Value decode(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new Bad(what + " keeps its data in an external file, which tinynn does not read");
        }
        int[] dims = dims(t, what);
        long n = 1;
        for (int d : dims) n *= d;
        int count = (int) n;
        int type = t.getDataType();
        byte[] raw = t.hasRawData() ? t.getRawData().toByteArray() : null;
        switch (type) {
            case 1 -> { // FLOAT
                float[] v = new float[checked(what, count, raw, 4, t.getFloatDataCount())];
                if (raw != null) ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                else for (int i = 0; i < count; i++) v[i] = t.getFloatData(i);
                return new Value(dims, v, null);
            }
            case 11 -> { // DOUBLE
                float[] v = new float[checked(what, count, raw, 8, t.getDoubleDataCount())];
                if (raw != null) {
                    var b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                    for (int i = 0; i < count; i++) v[i] = (float) b.get(i);
                } else for (int i = 0; i < count; i++) v[i] = (float) t.getDoubleData(i);
                return new Value(dims, v, null);
            }
            case 7 -> { // INT64
                long[] v = new long[checked(what, count, raw, 8, t.getInt64DataCount())];
                if (raw != null) ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                else for (int i = 0; i < count; i++) v[i] = t.getInt64Data(i);
                return new Value(dims, null, v);
            }
            case 6 -> { // INT32
                long[] v = new long[checked(what, count, raw, 4, t.getInt32DataCount())];
                if (raw != null) {
                    var b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
                    for (int i = 0; i < count; i++) v[i] = b.get(i);
                } else for (int i = 0; i < count; i++) v[i] = t.getInt32Data(i);
                return new Value(dims, null, v);
            }
            default -> throw new Bad(what + " has data type " + type + "; tinynn imports float, double, int32 and int64 tensors");
        }
    }

    /** The element count, after checking the stored values are exactly that many. */
    private static int checked(String what, int count, byte[] raw, int width, int listed) {
        long have = raw != null ? raw.length : (long) listed * width;
        if (have != (long) count * width) {
            throw new Bad(what + " declares " + count + " elements (" + (long) count * width + " bytes) but holds " + have + " bytes");
        }
        return count;
    }

    /** A one-line import problem; OnnxImporter adds the file name and advice. */
    static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String message) { super(message, null, false, false); }
    }
}
