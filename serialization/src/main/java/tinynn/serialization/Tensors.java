package tinynn.serialization;

import java.util.Arrays;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Shape;
import tinynn.serialization.proto.Tensor;

/** Building {@link Tensor} messages from Java arrays and reading them back, with shape/size checks. */
public final class Tensors {

    private Tensors() {}

    /** A shape message with the given dimensions. */
    public static Shape shape(long... dims) {
        Shape.Builder b = Shape.newBuilder();
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** Bytes per element of {@code dtype}; 0 for {@code DTYPE_UNSPECIFIED} and unknown values. */
    public static int sizeOf(DType dtype) {
        return switch (dtype) {
            case F32 -> Float.BYTES;
            case F64 -> Double.BYTES;
            default -> 0;
        };
    }

    /**
     * Number of elements of a tensor shape (1 for a scalar), or -1 if a dim is negative or the product
     * overflows a {@code long}.
     */
    public static long elementCount(Shape shape) {
        long n = 1;
        for (long d : shape.getDimsList()) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return n;
    }

    /**
     * Number of data bytes a tensor of this shape and dtype must have, or -1 if the shape has a negative dim,
     * the dtype has no size, or the count overflows a {@code long}.
     */
    public static long byteCount(Shape shape, DType dtype) {
        long count = elementCount(shape);
        int size = sizeOf(dtype);
        if (count < 0 || size == 0) {
            return -1;
        }
        try {
            return Math.multiplyExact(count, size);
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }

    /**
     * An F32 tensor.
     *
     * @throws IllegalArgumentException if {@code values.length} is not the product of {@code shape}
     */
    public static Tensor f32(String name, long[] shape, float[] values) {
        Shape s = checked(name, shape, values.length);
        return Tensor.newBuilder().setName(name).setShape(s).setDtype(DType.F32)
                .setData(TensorBytes.fromFloats(values)).build();
    }

    /**
     * An F64 tensor.
     *
     * @throws IllegalArgumentException if {@code values.length} is not the product of {@code shape}
     */
    public static Tensor f64(String name, long[] shape, double[] values) {
        Shape s = checked(name, shape, values.length);
        return Tensor.newBuilder().setName(name).setShape(s).setDtype(DType.F64)
                .setData(TensorBytes.fromDoubles(values)).build();
    }

    /** The dimensions of {@code tensor} as an array. */
    public static long[] dims(Tensor tensor) {
        return tensor.getShape().getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The elements of an F32 tensor, row-major.
     *
     * @throws IllegalArgumentException if the tensor is not F32 or its size disagrees with its shape
     */
    public static float[] toFloats(Tensor tensor) {
        requireType(tensor, DType.F32);
        return TensorBytes.toFloats(tensor.getData());
    }

    /**
     * The elements of an F64 tensor, row-major.
     *
     * @throws IllegalArgumentException if the tensor is not F64 or its size disagrees with its shape
     */
    public static double[] toDoubles(Tensor tensor) {
        requireType(tensor, DType.F64);
        return TensorBytes.toDoubles(tensor.getData());
    }

    /** The file's dtype for a graph dtype. */
    static DType dtype(tinynn.graph.DType d) {
        return d == tinynn.graph.DType.F32 ? DType.F32 : DType.F64;
    }

    private static void requireType(Tensor tensor, DType expected) {
        if (tensor.getDtype() != expected) {
            throw new IllegalArgumentException(
                    "tensor '" + tensor.getName() + "' is " + tensor.getDtype() + ", not " + expected);
        }
        if (byteCount(tensor.getShape(), expected) != tensor.getData().size()) {
            throw new IllegalArgumentException("tensor '" + tensor.getName() + "' has " + tensor.getData().size()
                    + " bytes, which disagrees with its shape " + tensor.getShape().getDimsList());
        }
    }

    private static Shape checked(String name, long[] shape, int length) {
        Shape s = shape(shape);
        long count = elementCount(s);
        if (count != length) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + length
                    + " values but shape " + Arrays.toString(shape) + " needs " + (count < 0 ? "an invalid count" : count));
        }
        return s;
    }
}
