package tinynn.graph;

import java.util.Arrays;

/** Static, immutable tensor shape; a scalar has rank 0. */
public record Shape(int... dims) {

    public static final Shape SCALAR = new Shape();

    public Shape {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 0) throw new GraphException("negative dimension in shape " + Arrays.toString(dims));
        }
    }

    public static Shape of(int... dims) { return new Shape(dims); }

    public int rank() { return dims.length; }

    public int dim(int axis) { return dims[axis < 0 ? dims.length + axis : axis]; }

    @Override public int[] dims() { return dims.clone(); }

    public long size() {
        long n = 1;
        for (int d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Element count as an int; tensors larger than an array can hold are rejected here. */
    public int elements() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) throw new GraphException("shape " + this + " has " + n + " elements, more than one array can hold");
        return (int) n;
    }

    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis < 0 ? d.length + axis : axis] = value;
        return new Shape(d);
    }

    /** Numpy broadcasting of two shapes, or null when they are incompatible. */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) return null;
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
