package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tinynn.runtime.model.Model;

/**
 * {@code predict} for a model trained on a table: each input is a CSV file with a header holding the model's feature
 * columns (by name, in any order; other columns are ignored); each row gives one line: the top classes with their
 * probabilities, or the predicted value in the target's units. A row's target, when the file has that column, is
 * shown after it.
 */
final class TablePrediction {
    private TablePrediction() {}

    static void print(PrintWriter o, Path modelFile, Model model, List<Path> inputs, int top, boolean json) throws IOException {
        TableModel table = TableModel.of(model, modelFile);
        int outputs = table.outputs();
        // Every file is read and predicted before anything is printed, so a failure leaves no partial output.
        List<TableModel.Rows> rows = new java.util.ArrayList<>();
        List<double[]> outs = new java.util.ArrayList<>();
        for (Path in : inputs) {
            TableModel.Rows r = table.rows(TableModel.read(in), false);
            double[] y = TableModel.outputs(model, r, outputs, new Object());
            for (int i = 0; i < r.n(); i++) {
                double bad = 0;
                for (int c = 0; c < outputs && bad == 0; c++) if (!Double.isFinite(y[i * outputs + c])) bad = y[i * outputs + c];
                if (bad != 0) throw Evaluation.nonFiniteOutput(modelFile, model, bad, in + ":" + r.table().lines()[i]);
            }
            rows.add(r);
            outs.add(y);
        }
        if (json) o.print("{\"model\":" + Json.str(modelFile.toString()) + ",\"predictions\":[");
        boolean first = true;
        for (int f = 0; f < rows.size(); f++) {
            TableModel.Rows r = rows.get(f);
            double[] y = outs.get(f);
            for (int i = 0; i < r.n(); i++) {
                String name = inputs.get(f) + ":" + r.table().lines()[i];
                String actual = r.table().header().contains(table.targetColumn())
                        ? r.table().rows().get(i)[r.table().index(table.targetColumn())] : null;
                if (json) {
                    o.print((first ? "" : ",") + "{\"input\":" + Json.str(name));
                    if (actual != null) o.print(",\"target\":" + Json.str(actual));
                } else {
                    o.print(name + ":");
                }
                first = false;
                if (table.regression()) {
                    double v = table.target().invert(0, y[i]);
                    if (json) o.print(",\"value\":" + Json.num(v) + "}");
                    else o.print(String.format(Locale.ROOT, " %.6g", v));
                } else {
                    double[] logits = java.util.Arrays.copyOfRange(y, i * outputs, (i + 1) * outputs);
                    double[] p = softmax(logits);
                    int[] best = PredictCommand.topK(p, Math.min(top, outputs));
                    if (json) o.print(",\"top\":[");
                    for (int j = 0; j < best.length; j++) {
                        String cls = table.classes().get(best[j]);
                        if (json) o.print((j > 0 ? "," : "") + "{\"class\":" + Json.str(cls) + ",\"index\":" + best[j] + ",\"probability\":" + Json.num(p[best[j]]) + "}");
                        else o.print((j == 0 ? " " : ", ") + cls + String.format(Locale.ROOT, " (p=%.4f)", p[best[j]]));
                    }
                    if (json) o.print("]}");
                }
                if (!json) o.println(actual != null ? "  [" + table.targetColumn() + " " + actual + "]" : "");
            }
        }
        if (json) o.println("]}");
        o.flush();
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
