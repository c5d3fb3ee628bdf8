package tinynn.runtime.model;

/**
 * Where early stopping and best-model tracking stand, saved with the model so a resumed run goes on
 * counting: the monitored metric's name, its best value so far, the epoch (0-based) that reached it,
 * and {@code stale}, the epochs since then without improvement.
 */
public record MonitorState(String metric, double best, int bestEpoch, int stale) {

    public MonitorState {
        if (metric == null || metric.isEmpty()) throw new IllegalArgumentException("monitor state: no metric name");
        if (stale < 0) throw new IllegalArgumentException("monitor state: stale is " + stale + ", must be >= 0");
    }
}
