package tinynn.graph;

/**
 * What a graph is compiled for. Layers whose computation differs between the two (batch norm, dropout) read it
 * from their input's graph; every other layer builds the same nodes in both.
 */
public enum Mode {
    /** Batch statistics, random masks, state updates (running statistics): the graph a training step runs. */
    TRAINING,
    /** Deterministic: running statistics, no masks, no state updates. */
    INFERENCE
}
