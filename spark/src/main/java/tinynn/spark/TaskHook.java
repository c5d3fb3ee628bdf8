package tinynn.spark;

import java.io.Serializable;

/** Runs at the start of each training task, on the executor: where tests inject failures that Spark must retry. */
@FunctionalInterface
public interface TaskHook extends Serializable {
    void beforeTask(int partition, long step);
}
