package tinynn.spark;

import java.io.Serializable;

/**
 * What every executor needs once per run, broadcast at the start: the model file's bytes (network, loss, optimizer
 * type and settings), how examples are shaped, and the batch schedule.
 *
 * @param runId    names the executors' pool of models for this run (a JVM may serve several runs)
 * @param example  one example's input shape without the batch dimension, e.g. [784] or [1, 28, 28]
 * @param target   one example's target shape without the batch dimension: [outputs] one-hot for classes (the
 *                 network's outputs), [1] for a regression value, [T] for the next characters of a text window
 * @param backend  the compute backend's name, null for the default
 * @param threads  compute threads per task (tasks of one executor already run side by side)
 * @param hook     called before each task computes; null except in tests that inject failures
 */
record Blueprint(String runId, byte[] model, int[] example, int[] target, String backend, int threads, ShardSchedule schedule,
                 TaskHook hook) implements Serializable {}
