package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tinynn.graph.DType;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.serialization.ModelFileException.Reason;

/**
 * Property: damaged copies of a file saved from a real model (truncated, bytes flipped, or bytes flipped and the
 * checksum recomputed so the damage reaches the protobuf decoder, the validator and the model rebuild) make
 * {@link Model#load} throw nothing but {@link ModelFileException}, with a one-line message naming the file.
 */
class ModelCorruptionProperties {

    private static byte[] full;
    private static byte[] weights;
    private static Path dir;

    @BeforeContainer
    static void saveModels() throws Exception {
        dir = TestFiles.tempDir();
        Model m = RealModels.trainedClassifier(DType.F32, 11);
        m.save(dir.resolve("full.tnn"));
        m.saveWeights(dir.resolve("weights.tnn"));
        full = Files.readAllBytes(dir.resolve("full.tnn"));
        weights = Files.readAllBytes(dir.resolve("weights.tnn"));
    }

    @AfterContainer
    static void cleanUp() {
        TestFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<byte[]> originals() {
        return Arbitraries.of(true, false).map(f -> f ? full : weights);
    }

    /** Loads {@code data} from a file; returns the exception (or null if it loaded), failing on any other type. */
    private static ModelFileException load(byte[] data) throws Exception {
        Path file = dir.resolve("damaged.tnn");
        Files.write(file, data);
        try {
            Model.load(file, new OjalgoBackend());
            return null;
        } catch (Throwable t) {
            ModelFileException e = assertInstanceOf(ModelFileException.class, t, () -> "only ModelFileException: " + t);
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertNotNull(e.reason());
            return e;
        }
    }

    @Property(tries = 150)
    void truncatedFilesFailCleanly(@ForAll("originals") byte[] original, @ForAll @IntRange(min = 0, max = 1 << 20) int cut)
            throws Exception {
        ModelFileException e = load(Arrays.copyOf(original, cut % original.length));
        assertNotNull(e, "a truncated file was accepted");
        assertTrue(Set.of(Reason.CORRUPT, Reason.NOT_A_MODEL).contains(e.reason()), e.getMessage());
    }

    @Property(tries = 150)
    void flippedBytesFailCleanly(@ForAll("originals") byte[] original,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
            @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
        byte[] data = original.clone();
        for (int p : positions) {
            data[p % data.length] ^= (byte) xor;
        }
        if (Arrays.equals(data, original)) {
            return; // the flips cancelled out
        }
        assertNotNull(load(data), "the checksum let damage through");
    }

    /**
     * Damage behind a valid checksum (as a buggy writer would produce): the decoder, the validator and the model
     * rebuild must still reject it cleanly, or load a model. Either way no other exception escapes.
     */
    @Property(tries = 400)
    void damageBehindAValidChecksumFailsCleanly(@ForAll("originals") byte[] original,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
            @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean truncate) throws Exception {
        byte[] body = Arrays.copyOfRange(original, ModelFormat.PREFIX_BYTES, original.length);
        for (int p : positions) {
            body[p % body.length] ^= (byte) xor;
        }
        if (truncate) {
            body = Arrays.copyOf(body, positions.getFirst() % body.length);
        }
        ModelFileException e = load(TestFiles.frame(body));
        Statistics.collect(e == null ? "loaded" : e.reason());
    }

    /** A targeted change to a valid file's content, applied with a random value. */
    enum Mutation {
        LAYER_TYPE, LAYER_ATTR, REMOVE_LAYER, DUPLICATE_LAYER, CLEAR_LAYERS, PARAM_SHAPE, DROP_PARAM, RENAME_PARAM,
        PARAM_DTYPE, INPUT_SHAPE, DROP_INPUT_BINDING, LOSS, LAYERS_DTYPE, OPTIMIZER_TYPE, OPTIMIZER_HYPER,
        OPTIMIZER_STEP, SLOT_NAME, SLOT_VALUE, EPOCH, HISTORY_EPOCH
    }

    private static final long[] NASTY = {-2, -1, 0, 1, 2, 3, 4, 5, 7, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
            Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};

    private static long nasty(long r) {
        return NASTY[(int) Math.floorMod(r, (long) NASTY.length)];
    }

    private static int index(long r, int size) {
        return size == 0 ? 0 : (int) Math.floorMod(r, (long) size);
    }

    static tinynn.serialization.proto.Model mutate(tinynn.serialization.proto.Model file, Mutation m, long r) {
        var b = file.toBuilder();
        var layers = b.getLayersBuilder();
        int nl = layers.getLayersCount();
        switch (m) {
            case LAYER_TYPE -> layers.getLayersBuilder(index(r, nl))
                    .setType(List.of("dense", "relu", "flatten", "softmax", "conv2d", "", "leaky_relu").get(index(r >> 8, 7)));
            case LAYER_ATTR -> {
                String key = List.of("in", "out", "slope", "w_init", "b_init").get(index(r >> 8, 5));
                var v = tinynn.serialization.proto.AttrValue.newBuilder();
                switch (index(r >> 16, 5)) {
                    case 0 -> v.setI(nasty(r >> 24));
                    case 1 -> v.setF(Double.longBitsToDouble(r));
                    case 2 -> v.setS(List.of("zeros", "uniform(1,)", "normal(a,b)", "he_normal", "").get(index(r >> 24, 5)));
                    case 3 -> v.setB(true);
                    default -> { } // no value set
                }
                layers.getLayersBuilder(index(r, nl)).putAttrs(key, v.build());
            }
            case REMOVE_LAYER -> layers.removeLayers(index(r, nl));
            case DUPLICATE_LAYER -> layers.addLayers(index(r >> 8, nl + 1), layers.getLayers(index(r, nl)));
            case CLEAR_LAYERS -> b.clearLayers();
            case PARAM_SHAPE -> {
                var t = b.getParametersBuilder(index(r, b.getParametersCount()));
                List<Long> dims = new java.util.ArrayList<>(t.getShape().getDimsList());
                java.util.Collections.reverse(dims);
                if ((r & 256) != 0) {
                    dims.add(1L);
                }
                t.setShape(tinynn.serialization.proto.Shape.newBuilder().addAllDims(dims));
            }
            case DROP_PARAM -> b.removeParameters(index(r, b.getParametersCount()));
            case RENAME_PARAM -> b.getParametersBuilder(index(r, b.getParametersCount())).setName("dense9.w");
            case PARAM_DTYPE -> b.getParametersBuilder(index(r, b.getParametersCount()))
                    .setDtype(tinynn.serialization.proto.DType.F64);
            case INPUT_SHAPE -> {
                var shape = b.getGraphBuilder().getNodesBuilder(0).getShapeBuilder().clearDims();
                for (int i = 0; i < index(r, 4); i++) {
                    shape.addDims(Math.max(-1, nasty(r >> (8 * i + 8))));
                }
            }
            case DROP_INPUT_BINDING -> b.getGraphBuilder().clearInputs();
            case LOSS -> layers.setLoss(List.of("mse", "huber", "nope", "").get(index(r, 4)));
            case LAYERS_DTYPE -> layers.setDtypeValue(index(r, 4));
            case OPTIMIZER_TYPE -> b.getTrainingBuilder().getOptimizerBuilder()
                    .setType(List.of("sgd", "adam", "rmsprop").get(index(r, 3)));
            case OPTIMIZER_HYPER -> b.getTrainingBuilder().getOptimizerBuilder()
                    .putHyper(List.of("lr", "beta1", "momentum", "eps").get(index(r, 4)), Double.longBitsToDouble(r));
            case OPTIMIZER_STEP -> b.getTrainingBuilder().getOptimizerBuilder().setStep(nasty(r));
            case SLOT_NAME -> {
                var o = b.getTrainingBuilder().getOptimizerBuilder();
                if (o.getSlotsCount() > 0) {
                    o.getSlotsBuilder(index(r, o.getSlotsCount())).setSlot(List.of("v", "velocity", "q").get(index(r >> 8, 3)));
                }
            }
            case SLOT_VALUE -> {
                var o = b.getTrainingBuilder().getOptimizerBuilder();
                if (o.getSlotsCount() > 0) {
                    o.getSlotsBuilder(index(r, o.getSlotsCount()))
                            .setValue(Tensors.f32("x", new long[] {1}, new float[] {1}));
                }
            }
            case EPOCH -> b.getTrainingBuilder().setEpoch(nasty(r)).setGlobalStep(nasty(r >> 8));
            case HISTORY_EPOCH -> b.getTrainingBuilder().addHistory(
                    tinynn.serialization.proto.EpochMetrics.newBuilder().setEpoch(nasty(r)));
        }
        return b.build();
    }

    /**
     * Content that is well-formed protobuf behind a valid checksum but wrong for the model (what a buggy or foreign
     * writer produces): unknown layer types, bad attributes, missing or misshapen parameters, impossible input
     * shapes, unknown losses and optimizers, misfit optimizer slots, out-of-range counters. Loading fails with
     * {@link ModelFileException} or yields a working model; nothing else, and nothing huge is allocated.
     */
    @Property(tries = 400)
    void wrongContentFailsCleanly(@ForAll("originals") byte[] original,
            @ForAll @Size(min = 1, max = 3) List<Mutation> mutations, @ForAll long r) throws Exception {
        var file = ModelFileReader.decode(original, "original.tnn");
        long salt = r;
        for (Mutation m : mutations) {
            try {
                file = mutate(file, m, salt);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                return; // a previous mutation removed what this one changes
            }
            salt = Long.rotateLeft(salt * 0x9E3779B97F4A7C15L, 17) + 1;
        }
        ModelFileException e = load(TestFiles.frame(file));
        Statistics.collect(e == null ? "loaded" : e.reason());
    }

    /** The stream reader behaves the same (and names the stream as told). */
    @Property(tries = 100)
    void damagedStreamsFailCleanly(@ForAll("originals") byte[] original,
            @ForAll @IntRange(min = 0, max = 1 << 20) int position, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] data = original.clone();
        data[position % data.length] ^= (byte) xor;
        try {
            ModelCodec.find().load(new ByteArrayInputStream(data), "upload", new OjalgoBackend());
        } catch (Throwable t) {
            ModelFileException e = assertInstanceOf(ModelFileException.class, t);
            assertTrue(e.getMessage().startsWith("upload: "), e.getMessage());
            assertEquals(Reason.CORRUPT == e.reason() || Reason.NOT_A_MODEL == e.reason(), true, e.getMessage());
            return;
        }
        throw new AssertionError("a flipped byte was not detected");
    }
}
