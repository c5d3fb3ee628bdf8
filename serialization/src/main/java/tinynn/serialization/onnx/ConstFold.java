package tinynn.serialization.onnx;

import java.util.Arrays;
import java.util.function.Function;
import tinynn.serialization.onnx.OnnxTensors.Bad;
import tinynn.serialization.onnx.OnnxTensors.Value;
import tinynn.serialization.onnx.proto.AttributeProto;
import tinynn.serialization.onnx.proto.NodeProto;

/**
 * Evaluates a node whose inputs are all constant: Constant itself and the small shape arithmetic (Shape → Gather →
 * Unsqueeze → Concat → Reshape) exporters emit around Flatten and Reshape. Integer values may hold
 * {@link OnnxImporter#BATCH_DIM} (the dynamic batch size), which only moves through Gather, Concat, Unsqueeze,
 * Squeeze, Slice and Identity; arithmetic on it is refused naming the node.
 */
final class ConstFold {
    private ConstFold() {}

    static Value fold(NodeProto n, Function<String, Value> in) {
        Attrs a = new Attrs(n);
        String op = n.getOpType();
        if (op.equals("Constant")) return constant(n);
        Value x = in.apply(n.getInput(0));
        return switch (op) {
            case "Identity" -> x;
            case "ConstantOfShape", "Expand" -> {
                // PyTorch's zero initial states: a fill of a shape that holds the batch size (taken as 1 here).
                long[] shape = (op.equals("Expand") ? in.apply(n.getInput(1)) : x).longs();
                Value fill = op.equals("Expand") ? x : a.raw("value") == null ? new Value(new int[0], new float[] {0}, null)
                        : OnnxTensors.decode(a.raw("value").getT(), OnnxImporter.label(n) + " value");
                if (shape == null || fill.size() != 1) throw new Bad(OnnxImporter.label(n) + " fills a shape tinynn cannot fold");
                int[] dims = new int[shape.length];
                long total = 1;
                for (int i = 0; i < dims.length; i++) {
                    long d = shape[i] == OnnxImporter.BATCH_DIM ? 1 : shape[i];
                    if (d < 0 || (total *= Math.max(d, 1)) > OnnxTensors.MAX_ELEMENTS) throw new Bad(OnnxImporter.label(n) + " fills the shape " + Arrays.toString(shape));
                    dims[i] = (int) d;
                }
                float[] f = new float[(int) total];
                Arrays.fill(f, fill.isInt() ? fill.longs()[0] : fill.floats()[0]);
                yield new Value(dims, f, null);
            }
            case "Shape" -> {
                long[] d = new long[x.dims().length];
                for (int i = 0; i < d.length; i++) d[i] = x.dims()[i];
                yield new Value(new int[] {d.length}, null, d);
            }
            case "Cast" -> {
                long to = a.i("to", 1);
                if (to == 7 || to == 6) yield x.isInt() ? x : ints(x);
                if (to == 1 || to == 11) yield x.isInt() ? floats(x, n) : x;
                throw new Bad(OnnxImporter.label(n) + " casts to type " + to + "; tinynn folds casts to float and int");
            }
            case "Gather" -> gather(n, x, in.apply(n.getInput(1)), (int) a.i("axis", 0));
            case "Unsqueeze", "Squeeze" -> {
                long[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? in.apply(n.getInput(1)).longs() : a.ints("axes", new long[0]);
                yield new Value(op.equals("Unsqueeze") ? unsqueeze(x.dims(), axes, n) : squeeze(x.dims(), axes, n), x.floats(), x.longs());
            }
            case "Concat" -> concat(n, in);
            case "Reshape" -> {
                long[] t = in.apply(n.getInput(1)).longs();
                int[] d = new int[t.length];
                long size = x.size(), known = 1;
                int infer = -1;
                for (int i = 0; i < t.length; i++) {
                    if (t[i] == -1) infer = i;
                    else if (t[i] == 0 && i < x.dims().length) known *= (d[i] = x.dims()[i]);
                    else if (t[i] < 0 || t[i] > size) throw new Bad(OnnxImporter.label(n) + " reshapes a constant to " + Arrays.toString(t));
                    else known *= (d[i] = (int) t[i]);
                }
                if (infer >= 0 && known > 0) d[infer] = (int) (size / known);
                long total = 1;
                for (int v : d) total *= v;
                if (total != size) throw new Bad(OnnxImporter.label(n) + " reshapes " + size + " constant values to " + Arrays.toString(t));
                yield new Value(d, x.floats(), x.longs());
            }
            case "Flatten" -> {
                int axis = (int) a.i("axis", 1), rows = 1;
                for (int i = 0; i < axis && i < x.dims().length; i++) rows *= x.dims()[i];
                yield new Value(new int[] {rows, (int) (x.size() / Math.max(rows, 1))}, x.floats(), x.longs());
            }
            case "Slice" -> slice(n, x, in);
            case "Transpose" -> {
                if (x.dims().length != 2) throw new Bad(OnnxImporter.label(n) + " transposes a rank-" + x.dims().length + " constant; tinynn folds 2-D ones");
                int r = x.dims()[0], c = x.dims()[1];
                float[] t = new float[x.floats() == null ? 0 : x.floats().length];
                long[] l = x.longs() == null ? null : new long[x.longs().length];
                for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) {
                    if (l != null) l[j * r + i] = x.longs()[i * c + j];
                    else t[j * r + i] = x.floats()[i * c + j];
                }
                yield new Value(new int[] {c, r}, l == null ? t : null, l);
            }
            case "Sqrt" -> {
                Value f = x.isInt() ? floats(x, n) : x;
                float[] v = f.floats().clone();
                for (int i = 0; i < v.length; i++) v[i] = (float) Math.sqrt(v[i]);
                yield new Value(f.dims(), v, null);
            }
            case "Mul", "Div", "Add", "Sub" -> arithmetic(n, x, in.apply(n.getInput(1)));
            default -> throw new Bad(OnnxImporter.label(n) + " cannot be folded");
        };
    }

    private static Value constant(NodeProto n) {
        String what = OnnxImporter.label(n);
        if (n.getAttributeCount() != 1) throw new Bad(what + " must have exactly one value attribute");
        AttributeProto v = n.getAttribute(0);
        return switch (v.getName()) {
            case "value" -> OnnxTensors.decode(v.getT(), what + " value");
            case "value_float" -> new Value(new int[0], new float[] {v.getF()}, null);
            case "value_floats" -> {
                float[] f = new float[v.getFloatsCount()];
                for (int i = 0; i < f.length; i++) f[i] = v.getFloats(i);
                yield new Value(new int[] {f.length}, f, null);
            }
            case "value_int" -> new Value(new int[0], null, new long[] {v.getI()});
            case "value_ints" -> new Value(new int[] {v.getIntsCount()}, null, v.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw new Bad(what + " has attribute '" + v.getName() + "'; tinynn folds value, value_float(s) and value_int(s)");
        };
    }

    private static Value ints(Value x) {
        long[] l = new long[x.floats().length];
        for (int i = 0; i < l.length; i++) l[i] = (long) x.floats()[i];
        return new Value(x.dims(), null, l);
    }

    private static Value floats(Value x, NodeProto n) {
        float[] f = new float[x.longs().length];
        for (int i = 0; i < f.length; i++) {
            if (x.longs()[i] == OnnxImporter.BATCH_DIM) throw batch(n);
            f[i] = x.longs()[i];
        }
        return new Value(x.dims(), f, null);
    }

    private static Bad batch(NodeProto n) {
        return new Bad(OnnxImporter.label(n) + " computes with the batch size; tinynn folds it only through Gather, Concat, Unsqueeze and Slice");
    }

    private static Value gather(NodeProto n, Value x, Value idx, int axis) {
        if (!idx.isInt() || axis != 0 || x.dims().length > 1 && idx.size() != 1 && x.dims().length != 1) {
            throw new Bad(OnnxImporter.label(n) + " gathers from a constant in a way tinynn does not fold (axis " + axis + ")");
        }
        int rows = x.dims().length == 0 ? 1 : x.dims()[0];
        int row = (int) (x.size() / Math.max(rows, 1));
        int count = (int) idx.size();
        if ((long) count * row > OnnxTensors.MAX_ELEMENTS) {
            throw new Bad(OnnxImporter.label(n) + " gathers " + count + " rows of " + row + ", more than the " + OnnxTensors.MAX_ELEMENTS + " elements a tensor may have");
        }
        float[] f = x.floats() == null ? null : new float[count * row];
        long[] l = x.longs() == null ? null : new long[count * row];
        for (int i = 0; i < count; i++) {
            long k = idx.longs()[i];
            if (k < 0) k += rows;
            if (k < 0 || k >= rows) throw new Bad(OnnxImporter.label(n) + " gathers index " + idx.longs()[i] + " of " + rows);
            if (f != null) System.arraycopy(x.floats(), (int) k * row, f, i * row, row);
            else System.arraycopy(x.longs(), (int) k * row, l, i * row, row);
        }
        int[] dims = new int[idx.dims().length + Math.max(x.dims().length - 1, 0)];
        System.arraycopy(idx.dims(), 0, dims, 0, idx.dims().length);
        if (x.dims().length > 1) System.arraycopy(x.dims(), 1, dims, idx.dims().length, x.dims().length - 1);
        return new Value(dims, f, l);
    }

    private static int[] unsqueeze(int[] d, long[] axes, NodeProto n) {
        int out = d.length + axes.length;
        boolean[] unit = new boolean[out];
        for (long a : axes) {
            int i = (int) (a < 0 ? a + out : a);
            if (i < 0 || i >= out) throw new Bad(OnnxImporter.label(n) + " has axis " + a + " out of range");
            unit[i] = true;
        }
        int[] r = new int[out];
        for (int i = 0, k = 0; i < out; i++) r[i] = unit[i] ? 1 : d[k++];
        return r;
    }

    private static int[] squeeze(int[] d, long[] axes, NodeProto n) {
        boolean[] drop = new boolean[d.length];
        for (long a : axes) {
            int i = (int) (a < 0 ? a + d.length : a);
            if (i < 0 || i >= d.length || d[i] != 1) throw new Bad(OnnxImporter.label(n) + " squeezes axis " + a + " of " + Arrays.toString(d));
            drop[i] = true;
        }
        if (axes.length == 0) for (int i = 0; i < d.length; i++) drop[i] = d[i] == 1;
        return java.util.stream.IntStream.range(0, d.length).filter(i -> !drop[i]).map(i -> d[i]).toArray();
    }

    private static Value concat(NodeProto n, Function<String, Value> in) {
        long total = 0;
        boolean ints = true;
        for (String s : n.getInputList()) {
            Value v = in.apply(s);
            if (v.dims().length > 1) throw new Bad(OnnxImporter.label(n) + " concatenates rank-" + v.dims().length + " constants; tinynn folds 1-D ones");
            total += v.size();
            ints &= v.isInt();
        }
        long[] l = ints ? new long[(int) total] : null;
        float[] f = ints ? null : new float[(int) total];
        int p = 0;
        for (String s : n.getInputList()) {
            Value v = in.apply(s);
            if (!ints && v.isInt()) v = floats(v, n);
            if (ints) System.arraycopy(v.longs(), 0, l, p, (int) v.size());
            else System.arraycopy(v.floats(), 0, f, p, (int) v.size());
            p += (int) v.size();
        }
        return new Value(new int[] {(int) total}, f, l);
    }

    private static Value slice(NodeProto n, Value x, Function<String, Value> in) {
        if (x.dims().length != 1 || n.getInputCount() < 3) throw new Bad(OnnxImporter.label(n) + " slices a constant in a way tinynn does not fold");
        long len = x.size();
        long start = in.apply(n.getInput(1)).longs()[0], end = in.apply(n.getInput(2)).longs()[0];
        long step = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? in.apply(n.getInput(4)).longs()[0] : 1;
        if (step != 1) throw new Bad(OnnxImporter.label(n) + " slices with step " + step);
        if (start < 0) start += len;
        if (end < 0) end += len;
        start = Math.clamp(start, 0, len);
        end = Math.clamp(end, start, len);
        int s = (int) start, e = (int) end;
        return new Value(new int[] {e - s}, x.floats() == null ? null : Arrays.copyOfRange(x.floats(), s, e),
                x.longs() == null ? null : Arrays.copyOfRange(x.longs(), s, e));
    }

    /** Elementwise arithmetic of a constant with a constant of the same size or a scalar. */
    private static Value arithmetic(NodeProto n, Value x, Value y) {
        if (x.size() != y.size() && y.size() != 1 && x.size() != 1) {
            throw new Bad(OnnxImporter.label(n) + " combines constants of shapes " + Arrays.toString(x.dims()) + " and " + Arrays.toString(y.dims()));
        }
        Value big = x.size() >= y.size() ? x : y;
        int size = (int) big.size();
        String op = n.getOpType();
        if (x.isInt() && y.isInt()) {
            long[] r = new long[size];
            for (int i = 0; i < size; i++) {
                long p = x.longs()[x.size() == 1 ? 0 : i], q = y.longs()[y.size() == 1 ? 0 : i];
                if (p == OnnxImporter.BATCH_DIM || q == OnnxImporter.BATCH_DIM) throw batch(n);
                r[i] = switch (op) { case "Mul" -> p * q; case "Add" -> p + q; case "Sub" -> p - q; default -> q == 0 ? 0 : p / q; };
            }
            return new Value(big.dims(), null, r);
        }
        Value fx = x.isInt() ? floats(x, n) : x, fy = y.isInt() ? floats(y, n) : y;
        float[] r = new float[size];
        for (int i = 0; i < size; i++) {
            float p = fx.floats()[x.size() == 1 ? 0 : i], q = fy.floats()[y.size() == 1 ? 0 : i];
            r[i] = switch (op) { case "Mul" -> p * q; case "Add" -> p + q; case "Sub" -> p - q; default -> p / q; };
        }
        return new Value(big.dims(), r, null);
    }
}
