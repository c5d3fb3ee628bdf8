package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * x surrounded by zeros: before[i] zeros ahead of axis i and after[i] behind it (numpy's pad with constant 0).
 * Its gradient is the {@link Slice} that cuts x's place out of g; concatenation is a sum of pads
 * ({@link Ops#concat}), as in tinygrad.
 */
public record Pad(List<Integer> before, List<Integer> after) implements Primitive {

    public Pad {
        before = List.copyOf(before);
        after = List.copyOf(after);
        if (before.size() != after.size()) throw new GraphException("pad: before " + before + " and after " + after + " differ in rank");
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i) < 0 || after.get(i) < 0) throw new GraphException("pad: negative padding " + before + " / " + after + "; use slice to cut");
        }
    }

    public Pad(int[] before, int[] after) { this(Arrays.stream(before).boxed().toList(), Arrays.stream(after).boxed().toList()); }

    public int[] lead() { return before.stream().mapToInt(Integer::intValue).toArray(); }

    public int[] trail() { return after.stream().mapToInt(Integer::intValue).toArray(); }

    public String type() { return "pad"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (s.rank() != before.size()) throw new GraphException("pad: padding of rank " + before.size() + " for the input " + s);
        int[] d = new int[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = before.get(i) + s.dim(i) + after.get(i);
        return new Shape(d);
    }

    public List<Node> vjp(Node self, Node g) {
        Shape x = self.input(0).shape();
        int[] end = new int[x.rank()];
        for (int i = 0; i < end.length; i++) end[i] = before.get(i) + x.dim(i);
        return List.of(Ops.slice(g, lead(), end));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] r = new double[out.elements()];
        Shape xs = shapes[0];
        int[] pos = new int[xs.rank()];
        for (int p = 0; p < in[0].length; p++) {
            int k = 0;
            for (int i = 0; i < pos.length; i++) k = k * out.dim(i) + pos[i] + before.get(i);
            r[k] = in[0][p];
            for (int i = pos.length - 1; i >= 0 && ++pos[i] == xs.dim(i); i--) pos[i] = 0;
        }
        return r;
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new java.util.LinkedHashMap<>();
        a.put("before", lead());
        a.put("after", trail());
        return a;
    }
}
