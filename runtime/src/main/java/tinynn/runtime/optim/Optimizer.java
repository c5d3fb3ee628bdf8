package tinynn.runtime.optim;

import java.util.List;
import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;

/** Updates parameters in place from their gradients; keeps per-parameter state ("slots"). */
public interface Optimizer {

    /** "sgd", "adam", ... as stored in model files. */
    String type();

    double lr();

    /** Schedulers change the learning rate between steps. */
    void lr(double lr);

    /**
     * Clips the gradients' global L2 norm (over all parameters together) to {@code maxNorm} before each step, as
     * {@code torch.nn.utils.clip_grad_norm_}; 0 turns it off. Kept in {@link #hyper()} as "clip_norm".
     */
    void clipNorm(double maxNorm);

    double clipNorm();

    /** Clamps each gradient element to [−maxValue, maxValue] before each step (and before norm clipping); 0 = off. */
    void clipValue(double maxValue);

    double clipValue();

    /** One update of the named parameters; looks every buffer up by name (see {@link #bind} for the training loop). */
    void step(Backend backend, Parameters params, Map<String, Tensor> grads);

    /**
     * Resolves the parameter, gradient and slot buffers once and returns the update over them: the training
     * plan's step, which then looks nothing up and allocates nothing. Lists are parallel, one entry per parameter.
     */
    Runnable bind(Backend backend, List<String> names, List<Tensor> params, List<Tensor> grads);

    /** Hyper-parameters by name, lr included. */
    Map<String, Double> hyper();

    /** Slot name → parameter name → state tensor, live (not copies). */
    Map<String, Map<String, Tensor>> slots();

    /** Number of steps taken so far. */
    long steps();

    /** Restores state saved from an optimizer of the same type. */
    void restore(long steps, Map<String, Map<String, Tensor>> slots);
}
