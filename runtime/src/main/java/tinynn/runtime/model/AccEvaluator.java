package tinynn.runtime.model;

/** Classification accuracy, printed in the article's format. */
public final class AccEvaluator {

    public record Result(int totalNum, int hitNum, double accuracy) {
        @Override public String toString() {
            return "{'total_num': " + totalNum + ", 'hit_num': " + hitNum + ", 'accuracy': " + accuracy + "}";
        }
    }

    /**
     * Accuracy of predictions (scores over the last axis: [N, C], or [N, T, C] for a sequence model) against targets
     * that are class ids of one rank less ([N] or [N, T]) or one-hot like the predictions: every position counts once,
     * the predicted class being the argmax over C.
     */
    public Result evaluate(tinynn.runtime.Tensor predictions, tinynn.runtime.Tensor targets) {
        tinynn.graph.Shape p = predictions.shape(), t = targets.shape();
        int[] actual;
        if (t.equals(p)) {
            actual = targets.argmaxLastAxis();
        } else if (t.rank() == p.rank() - 1 && t.equals(new tinynn.graph.Shape(java.util.Arrays.copyOf(p.dims(), t.rank())))) {
            actual = new int[targets.size()];
            for (int i = 0; i < actual.length; i++) actual[i] = (int) targets.get(i);
        } else {
            throw new IllegalArgumentException("evaluate: targets " + t + " are neither class ids of " + p + " without its last axis nor one-hot " + p);
        }
        return evaluate(predictions.argmaxLastAxis(), actual);
    }

    public Result evaluate(int[] predicted, int[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("evaluate: " + predicted.length + " predictions for " + actual.length + " labels");
        }
        int hit = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == actual[i]) hit++;
        return new Result(predicted.length, hit, predicted.length == 0 ? 0 : (double) hit / predicted.length);
    }
}
