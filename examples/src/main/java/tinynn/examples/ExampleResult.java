package tinynn.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an example reports: named numbers (test accuracy, final MSE, average return, ...) in the order they were
 * recorded, and the files it wrote. Tests assert on the numbers; the CLI prints both.
 */
public final class ExampleResult {
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final List<Path> files = new ArrayList<>();

    public ExampleResult metric(String name, double value) {
        metrics.put(name, value);
        return this;
    }

    public ExampleResult file(Path file) {
        files.add(file);
        return this;
    }

    public Map<String, Double> metrics() { return Map.copyOf(metrics); }

    /** The metric called {@code name}; an example that did not record it is a bug, said so by name. */
    public double get(String name) {
        Double v = metrics.get(name);
        if (v == null) throw new IllegalArgumentException("no result '" + name + "'; recorded: " + metrics.keySet());
        return v;
    }

    public List<Path> files() { return List.copyOf(files); }

    /** "name = value" lines then "wrote FILE" lines, as the CLI prints them. */
    public List<String> lines() {
        List<String> l = new ArrayList<>();
        metrics.forEach((k, v) -> l.add("result " + k + " = " + format(v)));
        for (Path f : files) l.add("wrote " + f);
        return l;
    }

    /** Whole numbers as they are, others to 4 decimals, or below 0.1 to 4 significant digits (an MSE of 0.0009 keeps its digits). */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(java.util.Locale.ROOT, Math.abs(v) < 0.1 ? "%.4g" : "%.4f", v);
    }
}
