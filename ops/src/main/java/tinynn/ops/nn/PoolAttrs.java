package tinynn.ops.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.ops.PoolWindow;

/**
 * A pooling layer's window from its attributes and back: kernel (i or ints [h, w]), stride (the same; defaults to
 * the kernel) and padding (i, ints [h, w], or ints [top, left, bottom, right]; defaults to 0). Written back in the
 * full forms, so a saved layer says exactly what it computes.
 */
final class PoolAttrs {
    private PoolAttrs() {}

    static PoolWindow window(String type, Map<String, Object> attrs, String... others) {
        List<String> known = new java.util.ArrayList<>(List.of("kernel", "stride", "padding"));
        known.addAll(List.of(others));
        Attrs.only(type, attrs, known.toArray(String[]::new));
        int[] kernel = Attrs.pair(attrs, "kernel", null);
        if (kernel == null) throw new IllegalArgumentException(type + " needs attribute 'kernel' (i, or ints [h, w]), e.g. kernel: 2");
        int[] stride = Attrs.pair(attrs, "stride", kernel);
        int[] p = Attrs.ints(attrs, "padding", new int[] {0});
        int[] pad = switch (p.length) {
            case 1 -> new int[] {p[0], p[0], p[0], p[0]};
            case 2 -> new int[] {p[0], p[1], p[0], p[1]};
            case 4 -> p;
            default -> throw new IllegalArgumentException(type + " attribute 'padding' must be i, ints [h, w] or ints [top, left, bottom, right], got "
                    + Arrays.toString(p));
        };
        return new PoolWindow(kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], pad[2], pad[3]);
    }

    static Map<String, Object> attrs(PoolWindow w) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("kernel", w.kernel());
        a.put("stride", w.strides());
        a.put("padding", w.padding());
        return a;
    }
}
