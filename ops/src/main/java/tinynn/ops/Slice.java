package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * x[begin:end] on every axis (numpy's basic slicing with unit steps). The bounds are lists so that two slices
 * with the same bounds are equal values. Its gradient pads g back with zeros ({@link Pad}); Pad's is a slice.
 */
public record Slice(List<Integer> begin, List<Integer> end) implements Primitive {

    public Slice {
        begin = List.copyOf(begin);
        end = List.copyOf(end);
        if (begin.size() != end.size()) throw new GraphException("slice: begin " + begin + " and end " + end + " differ in rank");
    }

    public Slice(int[] begin, int[] end) { this(Arrays.stream(begin).boxed().toList(), Arrays.stream(end).boxed().toList()); }

    public int[] from() { return begin.stream().mapToInt(Integer::intValue).toArray(); }

    public int[] to() { return end.stream().mapToInt(Integer::intValue).toArray(); }

    public String type() { return "slice"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (s.rank() != begin.size()) throw new GraphException("slice: bounds " + begin + ".." + end + " have rank " + begin.size() + " but the input is " + s);
        int[] d = new int[s.rank()];
        for (int i = 0; i < d.length; i++) {
            int b = begin.get(i), e = end.get(i);
            if (b < 0 || e > s.dim(i) || b > e) {
                throw new GraphException("slice: axis " + i + " range [" + b + ", " + e + ") does not fit " + s + "; use 0 <= begin <= end <= " + s.dim(i));
            }
            d[i] = e - b;
        }
        return new Shape(d);
    }

    public List<Node> vjp(Node self, Node g) {
        Shape x = self.input(0).shape();
        int[] after = new int[x.rank()];
        for (int i = 0; i < after.length; i++) after[i] = x.dim(i) - end.get(i);
        return List.of(Ops.pad(g, from(), after));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] r = new double[out.elements()];
        Shape xs = shapes[0];
        int[] pos = new int[out.rank()];
        for (int p = 0; p < r.length; p++) {
            int k = 0;
            for (int i = 0; i < pos.length; i++) k = k * xs.dim(i) + pos[i] + begin.get(i);
            r[p] = in[0][k];
            for (int i = pos.length - 1; i >= 0 && ++pos[i] == out.dim(i); i--) pos[i] = 0;
        }
        return r;
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new java.util.LinkedHashMap<>();
        a.put("begin", from());
        a.put("end", to());
        return a;
    }
}
