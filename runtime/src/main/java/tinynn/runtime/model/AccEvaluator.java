package tinynn.runtime.model;

/** Classification accuracy, printed in the article's format. */
public final class AccEvaluator {

    public record Result(int totalNum, int hitNum, double accuracy) {
        @Override public String toString() {
            return "{'total_num': " + totalNum + ", 'hit_num': " + hitNum + ", 'accuracy': " + accuracy + "}";
        }
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
