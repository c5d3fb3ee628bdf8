package tinynn.bench.torch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * LeNet-5 on MNIST with PyTorch CPU through DJL, the reference for bench/lenet-compare.sh: the net, optimizer,
 * batch size and batch order rules of tinynn's {@code --arch lenet5} (conv 6@5×5 same, ReLU, max-pool 2,
 * conv 16@5×5 valid, ReLU, max-pool 2, flatten, dense 120, 84, 10; Xavier-uniform weights, zero biases;
 * softmax cross entropy; Adam 1e-3; batch 128 with the last partial batch kept; shuffled each epoch; float32 NCHW).
 *
 * <p>Usage: {@code LeNetTorch [--epochs N] [--threads T] [--data DIR] [--seed S]}. Prints one line per epoch:
 * {@code pytorch epoch E: S seconds, test accuracy A}; the time covers the training steps only (batch assembly
 * included, evaluation not). Threads: PyTorch's intra-op pool is set to T and its inter-op pool to 1 through DJL's
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, read when the engine starts.
 */
public final class LeNetTorch {
    public static void main(String[] args) throws Exception {
        MnistTorch.run("LeNetTorch", "lenet5", args, lenet5(), new Shape(1, 28, 28), m -> { });
    }

    static SequentialBlock lenet5() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(6).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(84).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }
}
