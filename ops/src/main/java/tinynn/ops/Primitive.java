package tinynn.ops;

import tinynn.graph.Op;
import tinynn.graph.Shape;

/**
 * The ops a backend runs: every other op is built from these. Each primitive keeps its shape rule,
 * gradient rule and reference forward in its own file; the hierarchy is sealed, so the runtime's
 * switch over it (no {@code default}) stops compiling when a primitive has no kernel.
 */
public sealed interface Primitive extends Op
        permits MatMul, Binary, Unary, Sum, Max, BroadcastTo, SumTo, Transpose, Reshape, Where, Equal, Softmax,
                SoftmaxCrossEntropy, ReluGrad, SoftmaxCrossEntropyGrad,
                Conv2d, ConvTranspose2d, Conv2dGradWeight,
                MaxPool2d, MaxPool2dGrad, MaxPool2dGather, AvgPool2d, AvgPool2dGrad,
                Dropout,
                Slice, Pad,
                Recurrence, RecurrenceGrad {

    /**
     * The definition every kernel is tested against: plain loops in float64 over row-major arrays.
     * {@code in[i]} holds input i of shape {@code shapes[i]}; the result has the node's output shape.
     */
    double[] reference(double[][] in, Shape[] shapes, Shape out);
}
