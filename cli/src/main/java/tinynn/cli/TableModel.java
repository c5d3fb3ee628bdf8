package tinynn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.data.CsvTable;
import tinynn.data.DataException;
import tinynn.data.Standardization;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.metrics.Regression;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.Trainer;

/**
 * A model trained on a table ({@code train --train-csv F --target COLUMN}): which columns it reads, the training set's
 * feature statistics and, for regression, the target's, all kept in the model's metadata (docs/model-format.md), and
 * how rows of a CSV file become its inputs, predictions and metrics.
 *
 * @param classes the class names (classification), or null (regression)
 * @param target the target's statistics (regression: the network predicts the standardised target), or null
 */
record TableModel(List<String> features, String targetColumn, List<String> classes, Standardization x, Standardization target) {

    static final String TASK = "task";
    static final String TARGET_COLUMN = "target_column";
    static final String FEATURE_COLUMNS = "feature_columns";
    static final String FEATURE_MEAN = "feature_mean";
    static final String FEATURE_STD = "feature_std";
    static final String TARGET_MEAN = "target_mean";
    static final String TARGET_STD = "target_std";
    static final String CLASSIFICATION = "classification", REGRESSION = "regression";
    /** input_normalization of a table model: features standardised with feature_mean and feature_std. */
    static final String STANDARDIZE = "standardize";

    boolean regression() { return classes == null; }

    /** Outputs of the network: one per class, or one value. */
    int outputs() { return regression() ? 1 : classes.size(); }

    /** Whether {@code model} was trained on a table (its metadata names a task). */
    static boolean isTable(Model model) { return model.metadata().containsKey(TASK); }

    /** The table model described by {@code model}'s metadata; bad metadata is an error naming {@code file}. */
    static TableModel of(Model model, Object file) {
        Map<String, String> m = model.metadata();
        String task = m.get(TASK);
        try {
            if (!CLASSIFICATION.equals(task) && !REGRESSION.equals(task)) throw new IllegalArgumentException(TASK + " '" + task + "' is not classification or regression");
            String target = m.get(TARGET_COLUMN);
            String cols = m.get(FEATURE_COLUMNS);
            if (target == null || cols == null || cols.isEmpty()) throw new IllegalArgumentException("no " + (target == null ? TARGET_COLUMN : FEATURE_COLUMNS));
            List<String> features = List.of(cols.split(",", -1));
            int f = features.size();
            Standardization x = new Standardization(Standardization.parse(m.get(FEATURE_MEAN), f, FEATURE_MEAN), Standardization.parse(m.get(FEATURE_STD), f, FEATURE_STD));
            if (REGRESSION.equals(task)) {
                Standardization y = new Standardization(Standardization.parse(m.get(TARGET_MEAN), 1, TARGET_MEAN), Standardization.parse(m.get(TARGET_STD), 1, TARGET_STD));
                return new TableModel(features, target, null, x, y);
            }
            String labels = m.get(ModelInfo.CLASS_LABELS);
            if (labels == null) throw new IllegalArgumentException("no " + ModelInfo.CLASS_LABELS);
            return new TableModel(features, target, List.of(labels.split(",", -1)), x, null);
        } catch (IllegalArgumentException e) {
            throw new Failure(file + ": metadata " + e.getMessage() + "; re-train the model with tinynn", e);
        }
    }

    /** Writes this model's description into {@code meta}. */
    void describe(Map<String, String> meta) {
        meta.put(TASK, regression() ? REGRESSION : CLASSIFICATION);
        meta.put(TARGET_COLUMN, targetColumn);
        meta.put(FEATURE_COLUMNS, String.join(",", features));
        meta.put(FEATURE_MEAN, Standardization.text(x.mean()));
        meta.put(FEATURE_STD, Standardization.text(x.std()));
        if (regression()) {
            meta.put(TARGET_MEAN, Standardization.text(target.mean()));
            meta.put(TARGET_STD, Standardization.text(target.std()));
        } else {
            meta.put(ModelInfo.CLASS_LABELS, String.join(",", classes));
        }
        meta.put(ModelInfo.INPUT_SHAPE, "-1," + features.size());
        meta.put(ModelInfo.NORMALIZATION, STANDARDIZE);
    }

    /**
     * Rows of a table as this model's examples: the feature columns by name (any order, other columns ignored),
     * standardised; the targets when the table has the target column ({@code needTarget}: it must).
     */
    Rows rows(CsvTable t, boolean needTarget) {
        float[] in = t.numbers(features);
        x.apply(in);
        boolean has = t.header().contains(targetColumn);
        if (needTarget && !has) t.index(targetColumn); // the error listing the columns
        int[] labels = null;
        float[] y = null;
        if (has && regression()) {
            y = t.numbers(List.of(targetColumn));
            target.apply(y);
        } else if (has) {
            String[] v = t.column(targetColumn);
            labels = new int[v.length];
            for (int r = 0; r < v.length; r++) {
                labels[r] = classes.indexOf(v[r]);
                if (labels[r] < 0) {
                    throw new DataException(t.where(r, targetColumn) + "class '" + v[r] + "' is not one the model knows (" + String.join(", ", classes) + ")");
                }
            }
        }
        return new Rows(t, features.size(), in, labels, y);
    }

    /**
     * Examples of a table: {@code x} standardised features (row-major), and either class indices or standardised
     * targets (or neither: rows to predict).
     */
    record Rows(CsvTable table, int f, float[] x, int[] labels, float[] y) {
        int n() { return x.length / f; }

        /** The rows whose {@code keep} entry is {@code value} (the two parts of a --val-split). */
        Rows pick(boolean[] keep, boolean value) {
            int n = 0;
            for (boolean b : keep) if (b == value) n++;
            float[] px = new float[n * f];
            int[] pl = labels != null ? new int[n] : null;
            float[] py = y != null ? new float[n] : null;
            int k = 0;
            for (int i = 0; i < keep.length; i++) {
                if (keep[i] != value) continue;
                System.arraycopy(x, i * f, px, k * f, f);
                if (pl != null) pl[k] = labels[i];
                if (py != null) py[k] = y[i];
                k++;
            }
            return new Rows(table, f, px, pl, py);
        }

        Rows limit(int count) {
            if (count >= n()) return this;
            return new Rows(table, f, Arrays.copyOf(x, count * f), labels != null ? Arrays.copyOf(labels, count) : null,
                    y != null ? Arrays.copyOf(y, count) : null);
        }

        Tensor inputs(DType dt) {
            Tensor t = Tensor.zeros(dt, Shape.of(n(), f));
            for (int i = 0; i < x.length; i++) t.set(i, x[i]);
            return t;
        }

        /** One-hot rows of {@code k} classes, or the standardised targets as [n, 1]. */
        Tensor targets(DType dt, int k) {
            if (y != null) {
                Tensor t = Tensor.zeros(dt, Shape.of(n(), 1));
                for (int i = 0; i < y.length; i++) t.set(i, y[i]);
                return t;
            }
            Tensor t = Tensor.zeros(dt, Shape.of(n(), k));
            for (int i = 0; i < labels.length; i++) t.set(i * k + labels[i], 1);
            return t;
        }
    }

    /** The network's outputs for every row, [n, outputs] row-major, in chunks; {@code lock} is held for each. */
    static double[] outputs(Model model, Rows rows, int outputs, Object lock) {
        double[] out = new double[rows.n() * outputs];
        int f = rows.f();
        for (int start = 0; start < rows.n(); start += Evaluation.CHUNK) {
            int n = Math.min(Evaluation.CHUNK, rows.n() - start);
            Tensor x = Tensor.zeros(model.dtype(), Shape.of(n, f));
            for (int i = 0; i < n * f; i++) x.set(i, rows.x()[start * f + i]);
            synchronized (lock) {
                Tensor y = model.predict(x);
                for (int i = 0; i < n * outputs; i++) out[start * outputs + i] = y.get(i);
            }
        }
        return out;
    }

    /** Classification metrics of the rows (which have labels), as eval prints them. */
    Evaluation classify(Model model, Rows rows, Object lock) {
        Evaluation ev = new Evaluation(classes.size());
        for (int start = 0; start < rows.n(); start += Evaluation.CHUNK) {
            int n = Math.min(Evaluation.CHUNK, rows.n() - start);
            Tensor x = Tensor.zeros(model.dtype(), Shape.of(n, rows.f()));
            for (int i = 0; i < n * rows.f(); i++) x.set(i, rows.x()[start * rows.f() + i]);
            synchronized (lock) {
                ev.add(model.predict(x), Arrays.copyOfRange(rows.labels(), start, start + n), n);
            }
        }
        return ev;
    }

    /** The score of an epoch line: loss and accuracy, or for regression the standardised MSE (tinynn's, halved) and R². */
    Trainer.Score score(Model model, Rows rows, Object lock) {
        if (regression()) {
            Fit fit = fit(model, rows, lock);
            return new Trainer.Score(fit.loss(), fit.r2());
        }
        Evaluation ev = classify(model, rows, lock);
        return new Trainer.Score(ev.loss(), ev.accuracy());
    }

    /**
     * Regression metrics in the target's own units, and the loss training minimises: tinynn's mse, half the mean squared
     * error of the standardised target.
     */
    record Fit(double loss, double rmse, double mae, double r2) {}

    Fit fit(Model model, Rows rows, Object lock) {
        double[] z = outputs(model, rows, 1, lock);
        double[] actual = new double[z.length], predicted = new double[z.length];
        double loss = 0;
        for (int i = 0; i < z.length; i++) {
            double d = z[i] - rows.y()[i];
            loss += d * d;
            actual[i] = target.invert(0, rows.y()[i]);
            predicted[i] = target.invert(0, z[i]);
        }
        return new Fit(loss / z.length / 2, Regression.rmse(actual, predicted), Regression.mae(actual, predicted), Regression.r2(actual, predicted));
    }

    /**
     * The classes of a target column: its distinct values, in numeric order when they are all integers, else in text
     * order. A value holding a comma cannot be a class label (they are saved comma-separated).
     */
    static List<String> classesOf(CsvTable t, String column) {
        String[] v = t.column(column);
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(Arrays.asList(v)));
        boolean integers = distinct.stream().allMatch(s -> s.matches("-?\\d{1,18}"));
        if (integers) distinct.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        else distinct.sort(null);
        if (distinct.size() > 256) {
            throw new DataException(t.source() + ": column '" + column + "' has " + distinct.size() + " distinct values; classification takes at most 256 "
                    + "classes: for a numeric target pass --task regression");
        }
        if (distinct.size() < 2) {
            throw new DataException(t.source() + ": column '" + column + "' has only one value ('" + distinct.getFirst() + "'); a classifier needs two classes");
        }
        return distinct;
    }

    /** Reads a CSV table, for the commands. */
    static CsvTable read(Path file) throws IOException { return CsvTable.read(file); }
}
