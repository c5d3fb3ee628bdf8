package tinynn.runtime.metrics;

/** Argument checks shared by the metric functions; each message names the metric. */
final class Metrics {
    private Metrics() {}

    static void sameLength(String metric, int a, int b) {
        if (a != b) throw new IllegalArgumentException(metric + ": " + a + " targets but " + b + " predictions");
    }

    static void nonEmpty(String metric, int n) {
        if (n == 0) throw new IllegalArgumentException(metric + ": no examples");
    }
}
