package tinynn.serialization.onnx;

import static tinynn.serialization.onnx.OnnxGraph.f;
import static tinynn.serialization.onnx.OnnxGraph.i;
import static tinynn.serialization.onnx.OnnxGraph.ints;

import java.util.List;
import tinynn.graph.Shape;
import tinynn.ops.ConvTranspose2d;
import tinynn.ops.Ops;
import tinynn.ops.PoolWindow;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.AvgPool2dLayer;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.ConvTranspose2dLayer;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Dropout;
import tinynn.ops.nn.Embedding;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.GlobalAvgPool2dLayer;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.LayerNorm;
import tinynn.ops.nn.MaxPool2dLayer;
import tinynn.ops.nn.Recurrent;
import tinynn.ops.nn.ReshapeLayer;
import tinynn.ops.nn.Standardize;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;
import tinynn.serialization.onnx.OnnxExporter.Traced;

/**
 * Each tinynn layer as ONNX nodes (the table in docs/onnx.md). Parameters keep their tinynn names as initializer
 * names ("dense0.w"); layouts that ONNX shares with tinynn (OIHW convolution weights, [in, out] for MatMul/Gemm)
 * are written as they are, biases as ONNX's 1-D vectors.
 */
final class OnnxLayers {
    private final OnnxGraph g;
    private final Parameters params;
    private final String source;

    OnnxLayers(OnnxGraph g, Parameters params, String source) {
        this.g = g;
        this.params = params;
        this.source = source;
    }

    /** Emits layer {@code t} on the value {@code x}; returns the name of the layer's output value. */
    String add(Traced t, String x) {
        String n = t.name();
        Layer layer = t.layer();
        return switch (layer) {
            case Dense d -> dense(n, x, t.in());
            case Flatten f -> g.node("Flatten", n, List.of(x), i("axis", 1));
            case ReshapeLayer r -> reshape(n, x, t.out());
            case Activation a -> activation(n, a, x);
            case Conv2dLayer c -> conv(n, c, x, t.in());
            case ConvTranspose2dLayer c -> convTranspose(n, c, x, t.in());
            case MaxPool2dLayer p -> g.node("MaxPool", n, List.of(x), pool(p.window()));
            case AvgPool2dLayer p -> g.node("AveragePool", n, List.of(x), append(pool(p.window()), i("count_include_pad", p.countIncludePad() ? 1 : 0)));
            case GlobalAvgPool2dLayer p -> g.node("Flatten", n, List.of(g.node("GlobalAveragePool", n, List.of(x))), i("axis", 1));
            case BatchNorm b -> g.node("BatchNormalization", n, List.of(x, param(n + ".gamma"), param(n + ".beta"),
                    param(n + ".running_mean"), param(n + ".running_var")), f("epsilon", b.eps()), f("momentum", 1 - b.momentum()));
            case LayerNorm l -> g.node("LayerNormalization", n, List.of(x, param(n + ".gamma"), param(n + ".beta")),
                    i("axis", l.dims() == 0 ? 1 : t.in().rank() - l.dims()), f("epsilon", l.eps()));
            case Dropout d -> x; // inference: the identity, no node
            case Standardize s -> g.node("Div", n, List.of(g.node("Sub", n, List.of(x, g.scalar(n + ".mean", s.mean()))), g.scalar(n + ".std", s.std())));
            case Embedding e -> g.node("Gather", n, List.of(param(n + ".table"),
                    g.node("Cast", n + "/ids", List.of(x), i("to", tinynn.serialization.onnx.proto.TensorProto.DataType.INT64_VALUE))), i("axis", 0));
            case Recurrent r -> new OnnxRecurrent(g, params).add(n, r, x);
            default -> throw unsupported(n, layer.type());
        };
    }

    private OnnxException unsupported(String name, String type) {
        return new OnnxException(source, "layer " + name + " (" + type + ") has no ONNX equivalent in tinynn's exporter",
                "remove or replace it, or keep the model as a .tnn file (docs/onnx.md lists the layers ONNX export supports)");
    }

    /** Gemm on [N, F]; MatMul + Add on [N, T, F] (MatMul broadcasts over the leading axes, as the layer does). */
    private String dense(String n, String x, Shape in) {
        String w = param(n + ".w");
        Tensor b = params.get(n + ".b");
        String bias = g.floats(n + ".b", new long[] {b.size()}, OnnxExporter.floats(b));
        if (in.rank() == 2) return g.node("Gemm", n, List.of(x, w, bias));
        return g.node("Add", n, List.of(g.node("MatMul", n, List.of(x, w)), bias));
    }

    /** The batch dimension as 0 ("copy from the input", ONNX's default allowzero = 0), the rest as the layer resolved them. */
    private String reshape(String n, String x, Shape out) {
        long[] dims = new long[out.rank()];
        for (int k = 1; k < dims.length; k++) dims[k] = out.dim(k);
        return g.node("Reshape", n, List.of(x, g.int64s(n + ".shape", dims)));
    }

    private String activation(String n, Activation a, String x) {
        return switch (a.type()) {
            case "relu" -> g.node("Relu", n, List.of(x));
            case "leaky_relu" -> g.node("LeakyRelu", n, List.of(x), f("alpha", num(a, "alpha")));
            case "prelu" -> g.node("PRelu", n, List.of(x, param(n + ".slope")));
            case "elu" -> g.node("Elu", n, List.of(x), f("alpha", num(a, "alpha")));
            case "selu" -> g.node("Selu", n, List.of(x), f("alpha", Ops.SELU_ALPHA), f("gamma", Ops.SELU_SCALE));
            case "gelu" -> a.attrs().get("approximate").equals("tanh") ? geluTanh(n, x) : gelu(n, x);
            case "silu" -> g.node("Mul", n, List.of(x, g.node("Sigmoid", n, List.of(x))));
            case "mish" -> g.node("Mul", n, List.of(x, g.node("Tanh", n, List.of(g.node("Softplus", n, List.of(x))))));
            case "softplus" -> softplus(n, x, num(a, "beta"));
            case "sigmoid" -> g.node("Sigmoid", n, List.of(x));
            case "hard_sigmoid" -> g.node("HardSigmoid", n, List.of(x), f("alpha", 1.0 / 6), f("beta", 0.5)); // PyTorch's relu6(x + 3)/6
            case "tanh" -> g.node("Tanh", n, List.of(x));
            case "softmax" -> g.node("Softmax", n, List.of(x), i("axis", -1));
            case "log_softmax" -> g.node("LogSoftmax", n, List.of(x), i("axis", -1));
            default -> throw unsupported(n, a.type());
        };
    }

    /** x/2 · (1 + erf(x/√2)): ONNX's Gelu op arrived in opset 20, so opset 17 spells it out. */
    private String gelu(String n, String x) {
        String erf = g.node("Erf", n, List.of(g.node("Div", n, List.of(x, g.scalar(n + ".sqrt2", Math.sqrt(2))))));
        String phi = g.node("Add", n, List.of(erf, g.scalar(n + ".one", 1)));
        return g.node("Mul", n, List.of(g.node("Mul", n, List.of(x, phi)), g.scalar(n + ".half", 0.5)));
    }

    /** x/2 · (1 + tanh(√(2/π) · (x + 0.044715x³))), in the order tinynn computes it. */
    private String geluTanh(String n, String x) {
        String cube = g.node("Mul", n, List.of(x, g.node("Mul", n, List.of(x, x))));
        String inner = g.node("Add", n, List.of(x, g.node("Mul", n, List.of(g.scalar(n + ".c", 0.044715), cube))));
        String th = g.node("Tanh", n, List.of(g.node("Mul", n, List.of(inner, g.scalar(n + ".k", Math.sqrt(2 / Math.PI))))));
        String onePlus = g.node("Add", n, List.of(g.scalar(n + ".one", 1), th));
        return g.node("Mul", n, List.of(g.node("Mul", n, List.of(x, onePlus)), g.scalar(n + ".half", 0.5)));
    }

    /** softplus(βx)/β; ONNX's Softplus has no β. */
    private String softplus(String n, String x, double beta) {
        if (beta == 1) return g.node("Softplus", n, List.of(x));
        String beta1 = g.scalar(n + ".beta", beta);
        return g.node("Div", n, List.of(g.node("Softplus", n, List.of(g.node("Mul", n, List.of(x, beta1)))), beta1));
    }

    private String conv(String n, Conv2dLayer c, String x, Shape in) {
        int[] pad = c.padding().resolve(in.dim(2), in.dim(3), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW());
        List<String> inputs = c.bias() ? List.of(x, param(n + ".w"), bias(n)) : List.of(x, param(n + ".w"));
        return g.node("Conv", n, inputs, ints("kernel_shape", c.kernelH(), c.kernelW()), ints("strides", c.strideH(), c.strideW()),
                ints("pads", pad[0], pad[1], pad[2], pad[3]), ints("dilations", c.dilationH(), c.dilationW()), i("group", c.groups()));
    }

    /** Padding and output padding resolved as {@link ConvTranspose2dLayer#build} resolves them ("same" included). */
    private String convTranspose(String n, ConvTranspose2dLayer c, String x, Shape in) {
        int h = in.dim(2), w = in.dim(3);
        int[] pad;
        int oph = c.outputPaddingH(), opw = c.outputPaddingW();
        if (c.padding().mode() == ConvPadding.Mode.SAME) {
            pad = c.padding().resolve(h * c.strideH(), w * c.strideW(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW());
            oph = h * c.strideH() - ConvTranspose2d.outputSize(h, c.kernelH(), c.strideH(), pad[0], pad[2], c.dilationH(), 0);
            opw = w * c.strideW() - ConvTranspose2d.outputSize(w, c.kernelW(), c.strideW(), pad[1], pad[3], c.dilationW(), 0);
        } else {
            pad = c.padding().resolve(h, w, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW());
        }
        List<String> inputs = c.bias() ? List.of(x, param(n + ".w"), bias(n)) : List.of(x, param(n + ".w"));
        return g.node("ConvTranspose", n, inputs, ints("kernel_shape", c.kernelH(), c.kernelW()), ints("strides", c.strideH(), c.strideW()),
                ints("pads", pad[0], pad[1], pad[2], pad[3]), ints("output_padding", oph, opw), ints("dilations", c.dilationH(), c.dilationW()),
                i("group", c.groups()));
    }

    /** [1, out, 1, 1] → ONNX's [out]. */
    private String bias(String n) {
        Tensor b = params.get(n + ".b");
        return g.floats(n + ".b", new long[] {b.size()}, OnnxExporter.floats(b));
    }

    /** kernel, strides, pads [top, left, bottom, right] (ONNX's [x1_begin, x2_begin, x1_end, x2_end]), floor mode. */
    private static tinynn.serialization.onnx.proto.AttributeProto[] pool(PoolWindow w) {
        return new tinynn.serialization.onnx.proto.AttributeProto[] {ints("kernel_shape", w.kernel()), ints("strides", w.strides()),
                ints("pads", w.padding()), i("ceil_mode", 0)};
    }

    private static tinynn.serialization.onnx.proto.AttributeProto[] append(tinynn.serialization.onnx.proto.AttributeProto[] a,
                                                                            tinynn.serialization.onnx.proto.AttributeProto b) {
        var out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    /** A parameter as an initializer of its own name and shape. */
    private String param(String name) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalStateException("parameter " + name + " was not created by the trace");
        int[] dims = t.shape().dims();
        long[] d = new long[dims.length];
        for (int k = 0; k < dims.length; k++) d[k] = dims[k];
        return g.floats(name, d, OnnxExporter.floats(t));
    }

    private static double num(Activation a, String key) { return (Double) a.attrs().get(key); }
}
