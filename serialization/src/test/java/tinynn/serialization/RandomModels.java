package tinynn.serialization;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.EpochMetrics;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Header;
import tinynn.serialization.proto.Layer;
import tinynn.serialization.proto.Layers;
import tinynn.serialization.proto.LrSchedule;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Node;
import tinynn.serialization.proto.Optimizer;
import tinynn.serialization.proto.Rng;
import tinynn.serialization.proto.Shape;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;
import tinynn.serialization.proto.TrainingState;

/** Deterministic generator of random but valid models (graphs, parameters, training state, metadata). */
final class RandomModels {

    /** A generated model together with the exact arrays its tensors were built from, keyed by tensor name. */
    record Sample(Model model, Map<String, float[]> f32, Map<String, double[]> f64) {}

    static final int[] SPECIAL_FLOAT_BITS = {
        0x00000000, 0x80000000, // +0.0, -0.0
        0x7f800000, 0xff800000, // +inf, -inf
        0x7fc00000, 0xffc00000, // canonical quiet NaNs
        0x7fc12345, 0xffffffff, // quiet NaNs with payloads
        0x7f800001, 0x7fbfffff, // signalling NaNs
        0x00000001, 0x807fffff, // subnormals
        0x7f7fffff, 0x3f800000 // max finite, 1.0
    };

    static final long[] SPECIAL_DOUBLE_BITS = {
        0L, 0x8000000000000000L,
        0x7ff0000000000000L, 0xfff0000000000000L,
        0x7ff8000000000000L, 0xfff8000000000000L,
        0x7ff8000000abcdefL, 0xffffffffffffffffL,
        0x7ff0000000000001L, 0x7ff7ffffffffffffL,
        0x0000000000000001L, 0x800fffffffffffffL,
        0x7fefffffffffffffL, 0x3ff0000000000000L
    };

    private static final String[] OPS = {
        "matmul", "add", "sub", "mul", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "reshape",
        "softmax_cross_entropy", "mse", "tinynn.fused_dense"
    };

    private RandomModels() {}

    static Sample create(long seed, DType dtype) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> f32 = new LinkedHashMap<>();
        Map<String, double[]> f64 = new LinkedHashMap<>();
        Model.Builder m = Model.newBuilder()
                .setHeader(Header.newBuilder().setMagic(ModelFormat.MAGIC).setFormatVersion(ModelFormat.FORMAT_VERSION)
                        .setProducer("tinynn-java test " + text(r, 8)).setCreatedUnixMillis(r.nextLong(0, 4_000_000_000_000L)));

        // Parameters.
        List<Tensor> params = new ArrayList<>();
        int paramCount = r.nextInt(0, 6);
        for (int i = 0; i < paramCount; i++) {
            String name = "layer" + i + "/" + (r.nextBoolean() ? "w" : "b") + text(r, 3);
            Tensor t = tensor(r, name, dtype, randomDims(r), f32, f64);
            params.add(t);
            m.addParameters(t);
        }

        // Graph: placeholders, one parameter node per parameter, then random ops over earlier nodes.
        Graph.Builder g = Graph.newBuilder();
        List<Integer> ids = new ArrayList<>();
        int nextId = r.nextInt(0, 100);
        int input = nextId;
        g.addNodes(node(r, nextId, "x", "placeholder", List.of(), dtype));
        ids.add(nextId);
        nextId += r.nextInt(1, 4);
        int target = nextId;
        g.addNodes(node(r, nextId, "y", "placeholder", List.of(), dtype));
        ids.add(nextId);
        for (Tensor p : params) {
            nextId += r.nextInt(1, 4);
            g.addNodes(node(r, nextId, p.getName(), "parameter", List.of(), dtype));
            ids.add(nextId);
        }
        int ops = r.nextInt(1, 15);
        for (int i = 0; i < ops; i++) {
            nextId += r.nextInt(1, 4);
            List<Integer> inputs = new ArrayList<>();
            int arity = r.nextInt(1, 4);
            for (int k = 0; k < arity; k++) {
                inputs.add(ids.get(r.nextInt(ids.size())));
            }
            g.addNodes(node(r, nextId, r.nextBoolean() ? "" : "op" + i, OPS[r.nextInt(OPS.length)], inputs, dtype));
            ids.add(nextId);
        }
        g.addInputs(Binding.newBuilder().setRole("input").setNodeId(input));
        g.addInputs(Binding.newBuilder().setRole("target").setNodeId(target));
        g.addOutputs(Binding.newBuilder().setRole("loss").setNodeId(ids.getLast()));
        g.addOutputs(Binding.newBuilder().setRole("logits").setNodeId(ids.get(r.nextInt(ids.size()))));
        m.setGraph(g);

        // Layers (sometimes).
        if (r.nextBoolean()) {
            Layers.Builder ls = Layers.newBuilder();
            for (int i = 0; i < params.size(); i++) {
                ls.addLayers(Layer.newBuilder().setType("dense").setName("layer" + i)
                        .putAttrs("out", AttrValue.newBuilder().setI(r.nextInt(1, 1000)).build())
                        .putAttrs("bias", AttrValue.newBuilder().setB(r.nextBoolean()).build())
                        .addParams(params.get(i).getName()));
                if (r.nextBoolean()) {
                    ls.addLayers(Layer.newBuilder().setType(r.nextBoolean() ? "relu" : "dropout")
                            .putAttrs("rate", AttrValue.newBuilder().setF(r.nextDouble()).build()));
                }
            }
            m.setLayers(ls);
        }

        // Training state (sometimes).
        if (r.nextBoolean()) {
            Optimizer.Builder o = Optimizer.newBuilder().setType(r.nextBoolean() ? "adam" : "sgd")
                    .putHyper("lr", r.nextDouble()).putHyper("beta1", 0.9).putHyper("beta2", 0.999)
                    .putHyper("eps", 1e-8).putHyper("weight_decay", r.nextDouble() * 1e-3)
                    .setStep(r.nextLong(0, Long.MAX_VALUE));
            for (Tensor p : params) {
                for (String slot : new String[] {"m", "v"}) {
                    String name = p.getName() + "/" + slot;
                    o.addSlots(Slot.newBuilder().setParam(p.getName()).setSlot(slot)
                            .setValue(tensor(r, name, dtype, Tensors.dims(p), f32, f64)));
                }
            }
            TrainingState.Builder t = TrainingState.newBuilder().setOptimizer(o)
                    .setLrSchedule(LrSchedule.newBuilder().setType("step").putParams("step_size", r.nextInt(1, 10))
                            .putParams("gamma", r.nextDouble()).setPosition(r.nextLong(0, 1_000_000)))
                    .setEpoch(r.nextInt(0, 1000)).setGlobalStep(r.nextLong(0, Long.MAX_VALUE))
                    .setRng(Rng.newBuilder().setSeed(r.nextLong()).setAlgorithm("L64X128MixRandom")
                            .setState(ByteString.copyFrom(bytes(r, r.nextInt(0, 40)))));
            int epochs = r.nextInt(0, 5);
            for (int e = 0; e < epochs; e++) {
                EpochMetrics.Builder em = EpochMetrics.newBuilder().setEpoch(e).setTrainLoss(r.nextDouble() * 3)
                        .setSeconds(r.nextDouble() * 100);
                if (r.nextBoolean()) {
                    em.setTestLoss(r.nextDouble()).setTestAccuracy(r.nextDouble());
                }
                t.addHistory(em);
            }
            m.setTraining(t);
        }

        // Metadata with arbitrary Unicode.
        int meta = r.nextInt(0, 6);
        m.putMetadata("dataset", "mnist");
        for (int i = 0; i < meta; i++) {
            m.putMetadata(text(r, r.nextInt(1, 12)), text(r, r.nextInt(0, 30)));
        }
        return new Sample(m.build(), f32, f64);
    }

    static long[] randomDims(SplittableRandom r) {
        long[] dims = new long[r.nextInt(0, 4)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = r.nextInt(0, 6);
        }
        return dims;
    }

    private static Tensor tensor(SplittableRandom r, String name, DType dtype, long[] dims,
            Map<String, float[]> f32, Map<String, double[]> f64) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        if (dtype == DType.F32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                int bits = r.nextInt(4) == 0 ? SPECIAL_FLOAT_BITS[r.nextInt(SPECIAL_FLOAT_BITS.length)] : r.nextInt();
                v[i] = Float.intBitsToFloat(bits);
            }
            f32.put(name, v);
            return Tensors.f32(name, dims, v);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            long bits = r.nextInt(4) == 0 ? SPECIAL_DOUBLE_BITS[r.nextInt(SPECIAL_DOUBLE_BITS.length)] : r.nextLong();
            v[i] = Double.longBitsToDouble(bits);
        }
        f64.put(name, v);
        return Tensors.f64(name, dims, v);
    }

    private static Node node(SplittableRandom r, int id, String name, String op, List<Integer> inputs, DType dtype) {
        Node.Builder n = Node.newBuilder().setId(id).setName(name).setOp(op).addAllInputs(inputs);
        if (r.nextInt(3) > 0) {
            Shape.Builder s = Shape.newBuilder();
            int rank = r.nextInt(0, 4);
            for (int i = 0; i < rank; i++) {
                s.addDims(r.nextInt(4) == 0 ? -1 : r.nextInt(0, 1000));
            }
            n.setShape(s);
        }
        if (r.nextBoolean()) {
            n.setDtype(dtype);
        }
        int attrs = r.nextInt(0, 4);
        for (int i = 0; i < attrs; i++) {
            n.putAttrs(text(r, r.nextInt(1, 8)), attr(r));
        }
        return n.build();
    }

    private static AttrValue attr(SplittableRandom r) {
        AttrValue.Builder a = AttrValue.newBuilder();
        switch (r.nextInt(7)) {
            case 0 -> a.setI(r.nextLong());
            case 1 -> a.setF(Double.longBitsToDouble(r.nextLong()));
            case 2 -> a.setS(text(r, r.nextInt(0, 10)));
            case 3 -> a.setInts(AttrValue.Ints.newBuilder().addValues(r.nextLong()).addValues(-1));
            case 4 -> a.setFloats(AttrValue.Floats.newBuilder().addValues(r.nextDouble()).addValues(-0.0));
            case 5 -> a.setStrings(AttrValue.Strings.newBuilder().addValues(text(r, 3)).addValues(""));
            default -> a.setB(r.nextBoolean());
        }
        return a.build();
    }

    /** Random valid Unicode text (no unpaired surrogates), including non-BMP characters. */
    static String text(SplittableRandom r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(0x20, 0x7f);
                case 1 -> r.nextInt(0xa0, 0xd7ff);
                case 2 -> r.nextInt(0xe000, 0xfffd);
                default -> r.nextInt(0x1f300, 0x1f64f);
            };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
