package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Slot;
import tinynn.serialization.proto.Tensor;

/** Property: random models survive write → read unchanged, bit for bit, in F32 and F64. */
class RoundTripTest {

    static LongStream seeds() {
        return Seeds.of(150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fileRoundTripF32(long seed, @TempDir Path dir) {
        fileRoundTrip(RandomModels.create(seed, DType.F32), dir);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fileRoundTripF64(long seed, @TempDir Path dir) {
        fileRoundTrip(RandomModels.create(seed, DType.F64), dir);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void streamRoundTripIsDeterministic(long seed) {
        RandomModels.Sample s = RandomModels.create(seed, (seed & 1) == 0 ? DType.F32 : DType.F64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFileWriter.write(out, s.model());
        byte[] bytes = out.toByteArray();
        assertArrayEquals(ModelFileWriter.toBytes(s.model()), bytes, "stream and toBytes agree");
        assertArrayEquals(ModelFileWriter.toBytes(Model.newBuilder(s.model()).build()), bytes, "deterministic");
        // A crc32c value set in memory is ignored by the writer.
        assertArrayEquals(bytes, ModelFileWriter.toBytes(s.model().toBuilder().setCrc32C(0xdeadbeef).build()));

        Model back = ModelFileReader.read(new ByteArrayInputStream(bytes), "mem.tnn");
        assertEquals(s.model(), back);
        assertBitExact(s, back);
    }

    private static void fileRoundTrip(RandomModels.Sample s, Path dir) {
        Path file = dir.resolve("model.tnn");
        ModelFileWriter.write(file, s.model());
        Model back = ModelFileReader.read(file);
        assertEquals(s.model(), back, "proto equality");
        assertEquals(0, back.getCrc32C(), "checksum is a file concern, not part of the in-memory model");
        assertBitExact(s, back);
        assertEquals(List.of("model.tnn"), TestFiles.list(dir), "no temporary files left");
    }

    /** Every tensor decodes to exactly the bits of the array it was built from (NaN payloads, -0.0, ...). */
    static void assertBitExact(RandomModels.Sample s, Model back) {
        int checked = 0;
        for (Tensor t : back.getParametersList()) {
            checked += assertTensor(s, t);
        }
        for (Slot slot : back.getTraining().getOptimizer().getSlotsList()) {
            checked += assertTensor(s, slot.getValue());
        }
        assertEquals(s.f32().size() + s.f64().size(), checked, "every generated tensor was compared");
    }

    private static int assertTensor(RandomModels.Sample s, Tensor t) {
        if (t.getDtype() == DType.F32) {
            float[] expected = s.f32().get(t.getName());
            float[] actual = Tensors.toFloats(t);
            assertEquals(expected.length, actual.length, t.getName());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        t.getName() + "[" + i + "]");
            }
        } else {
            double[] expected = s.f64().get(t.getName());
            double[] actual = Tensors.toDoubles(t);
            assertEquals(expected.length, actual.length, t.getName());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                        t.getName() + "[" + i + "]");
            }
        }
        return 1;
    }
}
