package tinynn.runtime.data;

import tinynn.runtime.model.Batch;

/**
 * Changes a batch in place before the model sees it (augmentation, say). What it does to an example may depend only
 * on (epoch, the example's position in the epoch), never on which thread runs it or on earlier calls, so a batch
 * prepared ahead on another thread ({@link PrefetchingBatches}) is the batch the plain loop would have made.
 */
@FunctionalInterface
public interface BatchTransform {
    /**
     * @param epoch the pass over the data this batch belongs to
     * @param firstPosition the position in that pass of the batch's first example (batch index · batch size)
     */
    void apply(Batch batch, int epoch, long firstPosition);
}
