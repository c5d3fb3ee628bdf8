package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.init.Initializers;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.optim.Optimizer;
import tinynn.runtime.optim.SGD;

/**
 * Property: random architectures built from every available layer (dense with random sizes and initializers,
 * relu, sigmoid, tanh, softplus, leaky_relu, flatten), with every loss and optimizer, trained a few random
 * steps so the parameters and optimizer slots are non-trivial, survive save → load: forward outputs on new
 * random inputs are identical bit for bit, in F32 and F64, and so are the optimizer state, counters, history
 * and metadata.
 */
class ModelRoundTripProperties {

    /** One dense layer and the activation after it (null = none). */
    record Block(int units, boolean explicitIn, String wInit, String bInit, Layer activation) {}

    /** Input dims without the batch dim (more than one → a flatten layer first), hidden blocks, output block, loss. */
    record Arch(List<Integer> input, List<Block> hidden, Block output, String loss) {

        List<Layer> layers() {
            List<Layer> layers = new ArrayList<>();
            int features = input.stream().reduce(1, (a, b) -> a * b);
            if (input.size() > 1) {
                layers.add(new Flatten());
            }
            List<Block> blocks = new ArrayList<>(hidden);
            blocks.add(output);
            for (Block b : blocks) {
                layers.add(new Dense(b.explicitIn() ? features : -1, b.units(), Initializers.byName(b.wInit()),
                        Initializers.byName(b.bInit())));
                features = b.units();
                if (b.activation() != null) {
                    layers.add(b.activation());
                }
            }
            return layers;
        }

        Shape inputShape(int batch) {
            int[] dims = new int[input.size() + 1];
            dims[0] = batch;
            for (int i = 0; i < input.size(); i++) {
                dims[i + 1] = input.get(i);
            }
            return Shape.of(dims);
        }
    }

    @Provide
    Arbitrary<Arch> architectures() {
        Arbitrary<List<Integer>> input = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 6).map(List::of),
                Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4)).as(List::of),
                Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 3)).as(List::of));
        Arbitrary<Layer> activation = Arbitraries.oneOf(
                Arbitraries.of(Activation.relu(), Activation.sigmoid(), Activation.tanh(), Activation.softplus()),
                Arbitraries.doubles().between(0.001, 0.5).ofScale(4).map(Activation::leakyRelu));
        Arbitrary<String> wInit = Arbitraries.of("xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
                "uniform(-0.5,0.5)", "normal(0.0,0.3)");
        Arbitrary<String> bInit = Arbitraries.of("zeros", "constant(0.1)", "uniform(-0.1,0.1)");
        Arbitrary<Block> hidden = Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.of(true, false),
                wInit, bInit, activation.injectNull(0.2)).as(Block::new);
        Arbitrary<Block> output = Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.of(true, false),
                wInit, bInit, activation.injectNull(0.7)).as(Block::new);
        Arbitrary<String> loss = Arbitraries.of("softmax_cross_entropy", "sigmoid_cross_entropy", "mse", "mae", "huber", "nll", "kl_div", "dot");
        return Combinators.combine(input, hidden.list().ofMaxSize(3), output, loss).as(Arch::new);
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.F32, DType.F64);
    }

    @Provide
    Arbitrary<Optimizer> optimizers() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.doubles().between(1e-4, 0.1).ofScale(6), Arbitraries.doubles().between(0.0, 0.01).ofScale(6))
                        .as((lr, wd) -> (Optimizer) new Adam(lr, 0.9, 0.999, 1e-8, wd)),
                Combinators.combine(Arbitraries.doubles().between(1e-4, 0.1).ofScale(6), Arbitraries.of(0.0, 0.5, 0.9),
                        Arbitraries.doubles().between(0.0, 0.01).ofScale(6)).as((lr, mu, wd) -> (Optimizer) new SGD(lr, mu, wd)));
    }

    @Property(tries = 60)
    void saveLoadPreservesOutputsAndState(@ForAll("architectures") Arch arch, @ForAll("dtypes") DType dtype,
            @ForAll("optimizers") Optimizer optimizer, @ForAll @IntRange(min = 0, max = 3) int steps,
            @ForAll boolean weightsOnly, @ForAll long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        Model model = new Model(new Net(arch.layers()), Losses.byName(arch.loss()), optimizer, new OjalgoBackend(),
                dtype, seed);
        train(model, arch, dtype, steps, r);
        model.metadata().put("dataset", "random-" + (seed & 0xff));
        model.metadata().put("input_normalization", "scale=" + r.nextDouble());

        Path dir = TestFiles.tempDir();
        try {
            Path file = dir.resolve("model.tnn");
            if (weightsOnly) {
                model.saveWeights(file);
            } else {
                model.save(file);
            }
            Model loaded = Model.load(file, new OjalgoBackend());

            // Identical outputs on inputs the model has never seen, at a batch size it may never have used.
            for (int batch : new int[] {1 + r.nextInt(6), 1 + r.nextInt(6)}) {
                Tensor x = RealModels.random(dtype, arch.inputShape(batch), r);
                RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output (batch " + batch + ")");
            }
            if (weightsOnly) {
                RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
                assertEquals(0, loaded.optimizer().steps());
                assertEquals(0, loaded.epoch());
                assertEquals(model.metadata(), loaded.metadata());
            } else {
                RealModels.assertSameState(model, loaded);
                // Nothing else is lost either: the re-exported message is the same apart from the creation time.
                assertEquals(withoutHeader(ModelWriter.toProto(model, false)),
                        withoutHeader(ModelWriter.toProto(loaded, false)));
            }
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    @Property(tries = 30)
    void streamsRoundTripToo(@ForAll("architectures") Arch arch, @ForAll("dtypes") DType dtype,
            @ForAll("optimizers") Optimizer optimizer, @ForAll @IntRange(min = 1, max = 3) int steps, @ForAll long seed)
            throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        Model model = new Model(new Net(arch.layers()), Losses.byName(arch.loss()), optimizer, new OjalgoBackend(),
                dtype, seed);
        train(model, arch, dtype, steps, r);
        ModelCodec codec = ModelCodec.find();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.save(model, out, false);
        Model loaded = codec.load(new ByteArrayInputStream(out.toByteArray()), "memory", new OjalgoBackend());
        RealModels.assertSameState(model, loaded);
        Tensor x = RealModels.random(dtype, arch.inputShape(3), r);
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
    }

    /** A few steps on random batches of random sizes (targets suited to the loss); builds the model if steps = 0. */
    private static void train(Model model, Arch arch, DType dtype, int steps, SplittableRandom r) {
        model.build(arch.inputShape(1 + r.nextInt(4)));
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            int batch = 1 + r.nextInt(5);
            Tensor x = RealModels.random(dtype, arch.inputShape(batch), r);
            int classes = arch.output().units();
            Tensor y = switch (arch.loss()) {
                case "softmax_cross_entropy" -> RealModels.oneHot(dtype, batch, classes, r);
                case "sigmoid_cross_entropy" -> RealModels.unit(dtype, Shape.of(batch, classes), r);
                default -> RealModels.random(dtype, Shape.of(batch, classes), r);
            };
            loss = model.trainStep(x, y);
        }
        if (steps > 0) {
            model.endEpoch(new EpochMetrics(model.epoch(), loss, r.nextBoolean() ? Double.NaN : r.nextDouble(),
                    r.nextBoolean() ? Double.NaN : r.nextDouble(), r.nextDouble()));
        }
    }

    private static tinynn.serialization.proto.Model withoutHeader(tinynn.serialization.proto.Model m) {
        return m.toBuilder().clearHeader().build();
    }
}
