package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.proto.AttrValue;

/** Every loss attribute survives save and load; files without loss_attrs (written before) keep the defaults. */
class LossRoundTripTest {

    private static Model trained(Loss loss, long seed) {
        Model m = new Model(new Net(new Dense(4, 3)), loss, new Adam(0.01), new OjalgoBackend(), DType.F64, seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2; i++) m.trainStep(RealModels.random(DType.F64, Shape.of(5, 4), r), RealModels.oneHot(DType.F64, 5, 3, r));
        return m;
    }

    /** Each attribute as its stored number or list, so arrays compare by value. */
    private static Map<String, List<Double>> values(Loss loss) {
        return loss.attrs().entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> switch (e.getValue()) {
            case double[] d -> java.util.Arrays.stream(d).boxed().toList();
            case Number n -> List.of(n.doubleValue());
            default -> throw new AssertionError(e);
        }));
    }

    @Test
    void everyLossAttributeRoundTrips(@TempDir Path dir) throws Exception {
        List<Loss> losses = List.of(Losses.huber(0.3), Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2}, 0.1, 2),
                Losses.softmaxCrossEntropy(null, 0.2, 1), Losses.sigmoidCrossEntropy(new double[] {2, 3, 4}), Losses.nll(), Losses.klDiv());
        int k = 0;
        for (Loss loss : losses) {
            Model m = trained(loss, 11 + k);
            Path file = dir.resolve("m" + k++ + ".tnn");
            m.save(file);
            Model loaded = Model.load(file, new OjalgoBackend());
            assertEquals(loss.type(), loaded.loss().type());
            assertEquals(values(loss), values(loaded.loss()), loss.type());
            // The same loss: one more step from the same state gives the same loss, bit for bit.
            SplittableRandom r1 = new SplittableRandom(3), r2 = new SplittableRandom(3);
            Tensor x = RealModels.random(DType.F64, Shape.of(5, 4), r1), y = RealModels.oneHot(DType.F64, 5, 3, r1);
            double expected = m.trainStep(x, y);
            double actual = loaded.trainStep(RealModels.random(DType.F64, Shape.of(5, 4), r2), RealModels.oneHot(DType.F64, 5, 3, r2));
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), loss.type() + " " + loss.attrs());
        }
    }

    @Test
    void huberDeltaIsStoredAndRestored(@TempDir Path dir) throws Exception {
        tinynn.serialization.proto.Model file = ModelWriter.toProto(trained(Losses.huber(0.25), 7), false);
        assertEquals(AttrValue.newBuilder().setF(0.25).build(), file.getLayers().getLossAttrsOrThrow("delta"));
        tinynn.serialization.proto.Node lossNode = file.getGraph().getNodesList().getLast();
        assertEquals(ModelFormat.LOSS_OP, lossNode.getOp());
        assertEquals(AttrValue.newBuilder().setF(0.25).build(), lossNode.getAttrsOrThrow("delta"), "generic readers see delta in the graph too");
        Path p = dir.resolve("h.tnn");
        Files.write(p, TestFiles.frame(file));
        assertEquals(Map.of("delta", 0.25), Model.load(p, new OjalgoBackend()).loss().attrs());
    }

    @Test
    void aFileWithoutLossAttrsKeepsTheDefaults(@TempDir Path dir) throws Exception {
        // What a file written before loss_attrs existed looks like: the loss by name only.
        tinynn.serialization.proto.Model file = ModelWriter.toProto(trained(Losses.huber(1), 7), false);
        assertEquals(0, file.getLayers().getLossAttrsCount(), "the default delta is not written");
        Path p = dir.resolve("old.tnn");
        Files.write(p, TestFiles.frame(file));
        Loss loss = Model.load(p, new OjalgoBackend()).loss();
        assertEquals("huber", loss.type());
        assertEquals(Map.of(), loss.attrs(), "delta 1");
    }

    @Test
    void anUnknownLossAttributeIsAClearError(@TempDir Path dir) throws Exception {
        tinynn.serialization.proto.Model file = ModelWriter.toProto(trained(Losses.huber(0.5), 7), false);
        Path p = dir.resolve("bad.tnn");
        Files.write(p, TestFiles.frame(file.toBuilder().setLayers(file.getLayers().toBuilder()
                .putLossAttrs("delt", AttrValue.newBuilder().setF(2).build())).build()));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Model.load(p, new OjalgoBackend()));
        assertTrue(e.getMessage().startsWith(p + ": ") && e.getMessage().contains("unknown attribute 'delt'"), e.getMessage());
    }

    @Test
    void weightedCrossEntropyLoadsItsWeights(@TempDir Path dir) throws Exception {
        Model m = trained(Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2}, 0, 1), 5);
        Path p = dir.resolve("w.tnn");
        m.save(p);
        assertArrayEquals(new double[] {0.5, 1, 2}, (double[]) Model.load(p, new OjalgoBackend()).loss().attrs().get("weights"));
    }
}
