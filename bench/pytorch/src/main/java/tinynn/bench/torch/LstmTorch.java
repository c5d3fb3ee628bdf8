package tinynn.bench.torch;

import ai.djl.Model;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;

/**
 * The sequence benchmark with PyTorch CPU through DJL, the reference for bench/lstm-compare.sh: an LSTM(128)
 * reading each MNIST image as 28 time steps of one 28-pixel row (batch first, [N, 28, 28]), its last hidden state into
 * dense 10; softmax cross entropy; Adam 1e-3; batch 128 with the last partial batch kept; shuffled each epoch; float32.
 * The LSTM is DJL's {@link LSTM} block, which runs libtorch's fused {@code torch::lstm} (one call per batch, its own
 * backward through time). Weights Xavier-uniform, biases zero except the forget gate's slice of one bias, which is 1
 * as in tinynn's lstm layer (tinynn's recurrent weights start orthogonal; that changes accuracy a little, not time).
 *
 * <p>Usage: {@code LstmTorch [--epochs N] [--threads T] [--data DIR] [--seed S]}; output and threads as {@link MnistTorch}:
 * one line per epoch, {@code pytorch epoch E: S seconds, test accuracy A}, the time covering the training steps only.
 */
public final class LstmTorch {
    private static final int STEPS = 28, FEATURES = 28, HIDDEN = 128;

    public static void main(String[] args) throws Exception {
        MnistTorch.run("LstmTorch", "lstm-mnist-rows", args, net(), new Shape(STEPS, FEATURES), LstmTorch::forgetBiasOne);
    }

    /** LSTM(128) over [N, T, F] (batch first), the hidden state at the last step, dense 10. */
    static SequentialBlock net() {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(HIDDEN).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(LambdaBlock.singleton(h -> h.get(new NDIndex(":, -1, :")), "last_step"))
                .add(Linear.builder().setUnits(10).build());
    }

    /**
     * Sets the forget gate's slice [H, 2H) of the input-to-hidden bias to 1 (libtorch's gate order is i, f, g, o and it
     * adds its two biases, so one of them carries tinynn's single bias).
     */
    static void forgetBiasOne(Model model) {
        for (var p : model.getBlock().getParameters()) {
            Parameter param = p.getValue();
            if (param.getType() == Parameter.Type.BIAS && param.getShape().get(0) == 4L * HIDDEN && p.getKey().contains("i2h")) {
                param.getArray().set(new NDIndex(HIDDEN + ":" + 2 * HIDDEN), 1f);
                return;
            }
        }
        throw new IllegalStateException("LstmTorch: no input-to-hidden bias of size " + 4 * HIDDEN + " among the LSTM block's parameters");
    }
}
