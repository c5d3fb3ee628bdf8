package tinynn.serialization.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX activation tensor seen as a rearrangement of a tinynn layer output ({@code act}, without the batch
 * dimension). Every axis of the layer output is labelled ({@code canon}, row-major, batch first); the ONNX tensor is
 * a list of groups of those axes (a Transpose permutes groups, a Flatten or Reshape merges them, Squeeze/Unsqueeze
 * drop and add unit axes). This is how the Transpose/Reshape/Squeeze scaffolding exporters put around Flatten,
 * GlobalAveragePool and the recurrent ops is followed without building any layer: only when the ONNX tensor is
 * the layer output in row-major order again ({@link #tail}) is it fed to the next layer.
 */
record Flow(int[] act, List<Axis> canon, List<List<Axis>> groups) {

    /** One labelled axis; id 0 is the batch axis, negative ids are unit axes Unsqueeze or Reshape added. */
    record Axis(int id, int size) {
        boolean unit() { return size == 1 && id != 0; }
    }

    static final Axis BATCH = new Axis(0, -1);

    /** A layer output as ONNX sees it: [N, act...]. {@code firstId} numbers the fresh labels. */
    static Flow of(int[] act, int firstId) {
        List<Axis> canon = new ArrayList<>();
        canon.add(BATCH);
        for (int i = 0; i < act.length; i++) canon.add(new Axis(firstId + i, act[i]));
        List<List<Axis>> groups = new ArrayList<>();
        for (Axis a : canon) groups.add(List.of(a));
        return new Flow(act.clone(), List.copyOf(canon), List.copyOf(groups));
    }

    int rank() { return groups.size(); }

    /** The ONNX dims, the batch as {@code batch}; a group holding the batch and another axis gives {@code batch} too. */
    long[] dims(long batch) {
        long[] d = new long[groups.size()];
        for (int i = 0; i < d.length; i++) d[i] = size(groups.get(i), batch);
        return d;
    }

    private static long size(List<Axis> g, long batch) {
        long n = 1;
        for (Axis a : g) {
            if (a.id() == 0) return batch;
            n *= a.size();
        }
        return n;
    }

    Flow withGroups(List<List<Axis>> g) { return new Flow(act, canon, List.copyOf(g)); }

    /** ONNX Transpose; null if perm is not a permutation of the axes. */
    Flow transpose(int[] perm) {
        if (perm.length != groups.size()) return null;
        List<List<Axis>> g = new ArrayList<>();
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            if (p < 0 || p >= perm.length || seen[p]) return null;
            seen[p] = true;
            g.add(groups.get(p));
        }
        return withGroups(g);
    }

    /** ONNX Squeeze of these axes (all unit axes when empty); null if one is not of size 1. */
    Flow squeeze(long[] axes) {
        boolean[] drop = new boolean[groups.size()];
        if (axes.length == 0) {
            for (int i = 0; i < drop.length; i++) drop[i] = size(groups.get(i), -1) == 1;
        }
        for (long a : axes) {
            int i = (int) (a < 0 ? a + groups.size() : a);
            if (i < 0 || i >= groups.size() || size(groups.get(i), -1) != 1) return null;
            drop[i] = true;
        }
        List<List<Axis>> g = new ArrayList<>();
        for (int i = 0; i < drop.length; i++) if (!drop[i]) g.add(groups.get(i));
        return withGroups(g);
    }

    /** ONNX Unsqueeze: unit axes at these output positions; null if out of range. */
    Flow unsqueeze(long[] axes) {
        int outRank = groups.size() + axes.length;
        boolean[] unit = new boolean[outRank];
        for (long a : axes) {
            int i = (int) (a < 0 ? a + outRank : a);
            if (i < 0 || i >= outRank || unit[i]) return null;
            unit[i] = true;
        }
        List<List<Axis>> g = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < outRank; i++) g.add(unit[i] ? List.of(new Axis(-1, 1)) : groups.get(next++));
        return withGroups(g);
    }

    /** ONNX Flatten: [d0·…·d(axis−1), d(axis)·…]. */
    Flow flatten(int axis) {
        int a = axis < 0 ? axis + groups.size() : axis;
        if (a < 0 || a > groups.size()) return null;
        List<Axis> left = new ArrayList<>(), right = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) (i < a ? left : right).addAll(groups.get(i));
        if (left.isEmpty()) left.add(new Axis(-1, 1));
        if (right.isEmpty()) right.add(new Axis(-1, 1));
        return withGroups(List.of(List.copyOf(left), List.copyOf(right)));
    }

    /**
     * ONNX Reshape to {@code target} (resolved: {@code BATCH_DIM} marks the batch); null when it would split an axis
     * (the caller then builds a reshape layer) or move the batch.
     */
    Flow reshape(long[] target) {
        List<Axis> flat = new ArrayList<>();
        for (List<Axis> g : groups) flat.addAll(g);
        List<List<Axis>> out = new ArrayList<>();
        int p = 0;
        for (long d : target) {
            List<Axis> g = new ArrayList<>();
            if (d == OnnxImporter.BATCH_DIM) {
                while (p < flat.size() && flat.get(p).unit()) g.add(flat.get(p++));
                if (p >= flat.size() || flat.get(p).id() != 0) return null;
                g.add(flat.get(p++));
            } else {
                long n = 1;
                while (p < flat.size() && n < d && flat.get(p).id() != 0) {
                    n *= flat.get(p).size();
                    g.add(flat.get(p++));
                }
                if (n != d) return null;
                if (g.isEmpty()) g.add(new Axis(-1, 1));
            }
            out.add(g);
        }
        while (p < flat.size()) {
            if (!flat.get(p).unit() || out.isEmpty()) return null;
            List<Axis> last = new ArrayList<>(out.getLast());
            last.add(flat.get(p++));
            out.set(out.size() - 1, last);
        }
        return withGroups(out);
    }

    /** Whether the ONNX tensor holds the layer output in row-major order (unit axes aside). */
    boolean rowMajor() {
        List<Axis> flat = new ArrayList<>();
        for (List<Axis> g : groups) for (Axis a : g) if (!a.unit()) flat.add(a);
        List<Axis> c = new ArrayList<>();
        for (Axis a : canon) if (!a.unit()) c.add(a);
        return flat.equals(c);
    }

    /** The ONNX dims after the batch when the tensor is the layer output reshaped to [N, ...]; else null. */
    int[] tail() {
        if (!rowMajor() || groups.isEmpty()) return null;
        for (Axis a : groups.getFirst()) if (a.id() != 0 && !a.unit()) return null;
        if (groups.getFirst().stream().noneMatch(a -> a.id() == 0)) return null;
        int[] t = new int[groups.size() - 1];
        for (int i = 1; i < groups.size(); i++) t[i - 1] = (int) size(groups.get(i), -1);
        return t;
    }
}
