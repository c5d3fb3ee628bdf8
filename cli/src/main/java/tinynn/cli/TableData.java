package tinynn.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tinynn.data.CsvTable;
import tinynn.data.DataException;
import tinynn.data.Standardization;
import tinynn.data.ValidationSplit;
import tinynn.runtime.model.Model;

/**
 * The data of a {@code tinynn train --train-csv F --target COLUMN} run: every other column is a numeric feature,
 * standardised with the training rows' mean and standard deviation (a resumed run keeps its model's); the target is
 * a class (its distinct values) or, with --task regression, a number, standardised too. --limit and --val-split
 * apply before the statistics are taken, so validation rows do not inform them.
 */
record TableData(String name, TableModel table, TableModel.Rows train, TableModel.Rows test, TableModel.Rows validation) {

    static TableData load(TrainOptions o, Model resumed) throws IOException {
        TableModel before = resumed != null ? TableModel.of(resumed, o.resume) : null;
        if (before != null && o.target != null && !o.target.equals(before.targetColumn())) {
            throw o.usage("--target cannot change when resuming: " + o.resume + " predicts '" + before.targetColumn() + "'");
        }
        boolean regression = before != null ? before.regression() : TableModel.REGRESSION.equals(o.task);
        if (before != null && o.task != null && !o.task.equals(regression ? TableModel.REGRESSION : TableModel.CLASSIFICATION)) {
            throw o.usage("--task cannot change when resuming: " + o.resume + " is a " + (regression ? "regression" : "classification") + " model");
        }
        CsvTable t = CsvTable.read(o.trainCsv);
        String target = before != null ? before.targetColumn() : o.target;
        t.index(target);
        List<String> features = before != null ? before.features() : new ArrayList<>(t.header());
        if (before == null) features.remove(target);
        if (features.isEmpty()) throw new DataException(t.source() + ": no feature columns besides the target '" + target + "'");
        List<String> classes = regression ? null : before != null ? before.classes() : TableModel.classesOf(t, target);
        int f = features.size();
        TableModel raw = new TableModel(features, target, classes, identity(f), regression ? identity(1) : null);
        TableModel.Rows train = raw.rows(t, true), validation = null;
        if (o.limit != null) train = train.limit(o.limit);
        if (o.valSplit != null) {
            if (train.n() < 2) throw new Failure(t.source() + ": --val-split " + o.valSplit + ": needs at least 2 rows, got " + train.n());
            long seed = resumed != null ? resumed.parameters().seed() : o.seed != null ? o.seed : TrainOptions.DEFAULT_SEED;
            boolean[] held = ValidationSplit.heldOut(train.n(), o.valSplit, seed);
            validation = train.pick(held, true);
            train = train.pick(held, false);
        }
        Standardization x = before != null ? before.x() : Standardization.fit(train.x(), f);
        Standardization y = !regression ? null : before != null ? before.target() : Standardization.fit(train.y(), 1);
        for (TableModel.Rows r : validation != null ? List.of(train, validation) : List.of(train)) {
            x.apply(r.x());
            if (y != null) y.apply(r.y());
        }
        TableModel table = new TableModel(features, target, classes, x, y);
        TableModel.Rows test = o.testCsv != null ? table.rows(CsvTable.read(o.testCsv), true) : null;
        return new TableData(o.trainCsv.getFileName().toString(), table, train, test, validation);
    }

    private static Standardization identity(int f) {
        double[] ones = new double[f];
        Arrays.fill(ones, 1);
        return new Standardization(new double[f], ones);
    }
}
