package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.Node;

/** The ServiceLoader codec: discovery, what it writes, and a clear one-line error for each way a file can misfit. */
class ModelCodecTest {

    @Test
    void modelSaveFindsThisCodec() {
        assertInstanceOf(ProtoModelCodec.class, ModelCodec.find());
    }

    @Test
    void theGraphHasAnOpenBatchDimensionAndTheRoles() {
        Model m = new Model(new Net(new Flatten(), new Dense(12, 4), Activation.sigmoid(), new Dense(4, 2)),
                Losses.huber(1.0), new Adam(0.01), new OjalgoBackend(), DType.F64, 9);
        m.build(Shape.of(5, 3, 4));
        tinynn.serialization.proto.Model file = ModelWriter.toProto(m, false);

        List<Node> nodes = file.getGraph().getNodesList();
        Node input = nodes.getFirst();
        assertEquals("placeholder", input.getOp());
        assertEquals(List.of(-1L, 3L, 4L), input.getShape().getDimsList());
        Node reshape = nodes.stream().filter(n -> n.getOp().equals("reshape")).findFirst().orElseThrow();
        assertEquals(List.of(-1L, 12L), reshape.getAttrsOrThrow("shape").getInts().getValuesList());
        assertEquals(List.of(-1L, 12L), reshape.getShape().getDimsList());
        Node loss = nodes.getLast();
        assertEquals(ModelFormat.LOSS_OP, loss.getOp(), "huber divides by the batch size");
        assertEquals("huber", loss.getAttrsOrThrow("type").getS());
        assertEquals(List.of(), loss.getShape().getDimsList(), "scalar");
        assertTrue(nodes.stream().noneMatch(n -> n.getOp().equals("constant") && n.getShape().getDimsCount() > 0
                && n.getShape().getDims(0) == -1), "no batch-sized constants");
        assertEquals(List.of("input", "target"), file.getGraph().getInputsList().stream().map(Binding::getRole).toList());
        assertEquals(List.of("output", "loss"), file.getGraph().getOutputsList().stream().map(Binding::getRole).toList());
        assertEquals("huber", file.getLayers().getLoss());
        assertEquals(tinynn.serialization.proto.DType.F64, file.getLayers().getDtype());
        assertEquals(List.of("flatten0", "dense1", "sigmoid2", "dense3"),
                file.getLayers().getLayersList().stream().map(tinynn.serialization.proto.Layer::getName).toList());
        assertEquals(List.of("dense1.w", "dense1.b"), file.getLayers().getLayers(1).getParamsList());
        assertEquals(AttrValue.newBuilder().setI(12).build(), file.getLayers().getLayers(1).getAttrsOrThrow("in"));
        assertEquals(9, file.getTraining().getRng().getSeed());
    }

    @Test
    void aModelThatNeverRanIsSavedWhenItsInputSizeIsKnown(@TempDir Path dir) throws Exception {
        Model explicit = new Model(new Net(new Dense(3, 2)), Losses.mse(), new Adam(0.1), new OjalgoBackend(),
                DType.F32, 1);
        explicit.save(dir.resolve("a.tnn"));
        Model loaded = Model.load(dir.resolve("a.tnn"), new OjalgoBackend());
        RealModels.assertSameState(explicit, loaded);

        Model inferred = new Model(new Net(new Dense(2)), Losses.mse(), new Adam(0.1), new OjalgoBackend(), DType.F32, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inferred.save(dir.resolve("b.tnn")));
        assertTrue(e.getMessage().contains("model.build"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("b.tnn")));
    }

    @Test
    void savingReplacesAnOlderFileAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.tnn");
        Model m = RealModels.trainedClassifier(DType.F32, 3);
        m.save(file);
        byte[] before = Files.readAllBytes(file);
        SplittableRandom r = new SplittableRandom(1);
        m.trainStep(RealModels.random(DType.F32, Shape.of(2, 4), r), RealModels.oneHot(DType.F32, 2, 3, r));
        m.save(file);
        assertEquals(List.of("model.tnn"), TestFiles.list(dir), "no temporary files left");
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(file)));
        RealModels.assertSameState(m, Model.load(file, new OjalgoBackend()));

        // A failed write (here: the target is a directory) leaves what was there.
        Path blocked = dir.resolve("blocked");
        Files.createDirectory(blocked);
        ModelFileException e = assertThrows(ModelFileException.class, () -> m.save(blocked));
        assertEquals(Reason.IO, e.reason());
        assertTrue(Files.isDirectory(blocked));
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.tnn");
        ModelFileException e = assertThrows(ModelFileException.class, () -> Model.load(file, new OjalgoBackend()));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    // ------------------------------------------------------------------------------ files that do not fit

    private static tinynn.serialization.proto.Model saved() {
        return ModelWriter.toProto(RealModels.trainedClassifier(DType.F32, 5), false);
    }

    /** Writes the edited file (valid container, checksum right) and returns the load error. */
    private static ModelFileException loadError(Path dir, UnaryOperator<tinynn.serialization.proto.Model.Builder> edit)
            throws Exception {
        Path file = dir.resolve("edited.tnn");
        Files.write(file, TestFiles.frame(edit.apply(saved().toBuilder()).build()));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Model.load(file, new OjalgoBackend()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static void assertMentions(ModelFileException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void aFileWithoutLayersIsRejectedClearly(@TempDir Path dir) throws Exception {
        ModelFileException e = loadError(dir, b -> b.clearLayers());
        assertEquals(Reason.INVALID, e.reason());
        assertMentions(e, "no layer list");
    }

    @Test
    void parameterMismatchesNameTheParameter(@TempDir Path dir) throws Exception {
        assertMentions(loadError(dir, b -> {
            var t = b.getParametersBuilder(0);
            return b.setParameters(0, Tensors.f32(t.getName(), new long[] {5, 4}, Tensors.toFloats(t.build())));
        }), "parameter 'dense0.w' is F32[5, 4] but the layers need F32[4, 5]");
        assertMentions(loadError(dir, b -> b.addParameters(Tensors.f32("extra.w", new long[] {1}, new float[] {1}))),
                "'extra.w' is not used by any layer");
        // Layers asking for a parameter the file lacks (the graph is cleared so only the layer list speaks).
        assertMentions(loadError(dir, b -> {
            b.getLayersBuilder().getLayersBuilder(2).putAttrs("in", AttrValue.newBuilder().setI(-1).build());
            b.getLayersBuilder().addLayers(tinynn.serialization.proto.Layer.newBuilder().setType("dense").setName("dense3")
                    .putAttrs("in", AttrValue.newBuilder().setI(3).build())
                    .putAttrs("out", AttrValue.newBuilder().setI(2).build()));
            return b;
        }), "parameter 'dense3.w' is missing", "F32[3, 2]");
    }

    @Test
    void unknownNamesAreReported(@TempDir Path dir) throws Exception {
        assertMentions(loadError(dir, b -> {
            // lstm was this test's unknown type until issue 12 added it; any name no layer has will do.
            b.getLayersBuilder().getLayersBuilder(1).setType("transformer");
            return b;
        }), "layer #1 ('relu1')", "unknown layer type 'transformer'");
        assertMentions(loadError(dir, b -> {
            b.getLayersBuilder().setLoss("hinge");
            return b;
        }), "unknown loss 'hinge'");
        assertMentions(loadError(dir, b -> {
            b.getTrainingBuilder().getOptimizerBuilder().setType("adamax");
            return b;
        }), "unknown optimizer 'adamax'");
        assertMentions(loadError(dir, b -> {
            b.getTrainingBuilder().getOptimizerBuilder().setType("rmsprop");
            return b;
        }), "optimizer rmsprop has no hyper-parameter 'beta1'");
        assertMentions(loadError(dir, b -> {
            b.getTrainingBuilder().getOptimizerBuilder().getSlotsBuilder(0).setSlot("velocity");
            return b;
        }), "adam has no slot 'velocity'");
    }

    @Test
    void optimizerStateMustFitTheParameters(@TempDir Path dir) throws Exception {
        assertMentions(loadError(dir, b -> {
            b.getTrainingBuilder().getOptimizerBuilder().getSlotsBuilder(0)
                    .setValue(Tensors.f64("x", new long[] {4, 5}, new double[20]));
            return b;
        }), "optimizer slot 'm' of parameter 'dense0.w' is F64[4, 5] but the layers need F32[4, 5]");
    }

    @Test
    void countersMustFitTheRuntime(@TempDir Path dir) throws Exception {
        assertMentions(loadError(dir, b -> {
            b.getTrainingBuilder().setEpoch(1L << 40);
            return b;
        }), "training epoch 1099511627776 is out of range");
    }

    @Test
    void theInputShapeMustBeKnownAndFit(@TempDir Path dir) throws Exception {
        assertMentions(loadError(dir, b -> {
            b.getGraphBuilder().clearInputs();
            return b;
        }), "no \"input\" binding");
        assertMentions(loadError(dir, b -> {
            b.getGraphBuilder().getNodesBuilder(0).getShapeBuilder().setDims(1, 7);
            return b;
        }), "the layers do not fit the input shape [1, 7]", "dense expects 4 input features");
    }

    /** Layers claiming a 16 GiB weight matrix, with no such data in the file: rejected without allocating it. */
    @Test
    void hugeClaimsAllocateNothing(@TempDir Path dir) throws Exception {
        ModelFileException e = loadError(dir, b -> {
            b.getGraphBuilder().getNodesBuilder(0).getShapeBuilder().setDims(1, 65536);
            var layers = b.getLayersBuilder();
            layers.getLayersBuilder(0).putAttrs("in", AttrValue.newBuilder().setI(65536).build())
                    .putAttrs("out", AttrValue.newBuilder().setI(65536).build());
            layers.getLayersBuilder(2).putAttrs("in", AttrValue.newBuilder().setI(-1).build());
            return b;
        });
        assertMentions(e, "parameter 'dense0.w' is F32[4, 5] but the layers need F32[65536, 65536]");
        ModelFileException overflow = loadError(dir, b -> {
            b.getLayersBuilder().getLayersBuilder(0).putAttrs("out", AttrValue.newBuilder().setI(1L << 40).build());
            return b;
        });
        assertMentions(overflow, "layer #0 ('dense0') attribute 'out' = 1099511627776 is out of range");
    }

    @Test
    void unknownAttributeKindsFromNewerWritersAreIgnored(@TempDir Path dir) throws Exception {
        Model m = RealModels.trainedClassifier(DType.F32, 5);
        var file = ModelWriter.toProto(m, false).toBuilder();
        file.getLayersBuilder().getLayersBuilder(0).putAttrs("future", AttrValue.getDefaultInstance());
        Path path = dir.resolve("future.tnn");
        ModelFileWriter.write(path, file.build());
        RealModels.assertSameState(m, Model.load(path, new OjalgoBackend()));
    }

    @Test
    void fromProtoNamesAStreamWhenNoNameIsGiven() {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelReader.fromProto(saved().toBuilder().clearLayers().build(), null, new OjalgoBackend()));
        assertTrue(e.getMessage().startsWith("<stream>: "), e.getMessage());
    }

    @Test
    void fileBytesAreDeterministicApartFromTheCreationTime() {
        Model m = RealModels.trainedClassifier(DType.F64, 8);
        var a = ModelWriter.toProto(m, false).toBuilder().clearHeader().build();
        var b = ModelWriter.toProto(m, false).toBuilder().clearHeader().build();
        assertArrayEquals(ModelFileWriter.toBytes(a.toBuilder().setHeader(ModelFormat.header("x").toBuilder()
                .setCreatedUnixMillis(0)).build()), ModelFileWriter.toBytes(b.toBuilder().setHeader(ModelFormat.header("x")
                .toBuilder().setCreatedUnixMillis(0)).build()));
    }
}
