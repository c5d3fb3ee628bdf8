package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Tensor;

class TensorBytesTest {

    @Test
    void floatsAreLittleEndianIeee754() {
        ByteString b = TensorBytes.fromFloats(new float[] {1.0f, -2.5f});
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0}, b.toByteArray());
        ByteString d = TensorBytes.fromDoubles(new double[] {1.0});
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f}, d.toByteArray());
    }

    @Test
    void specialFloatBitPatternsSurviveAFile(@TempDir Path dir) {
        int[] bits = RandomModels.SPECIAL_FLOAT_BITS;
        float[] f = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            f[i] = Float.intBitsToFloat(bits[i]);
            assertEquals(bits[i], Float.floatToRawIntBits(f[i]), "JVM keeps the bits of element " + i);
        }
        long[] lbits = RandomModels.SPECIAL_DOUBLE_BITS;
        double[] d = new double[lbits.length];
        for (int i = 0; i < lbits.length; i++) {
            d[i] = Double.longBitsToDouble(lbits[i]);
        }
        Model m = minimal().addParameters(Tensors.f32("f", new long[] {2, bits.length / 2}, f))
                .addParameters(Tensors.f64("d", new long[] {lbits.length}, d)).build();
        Path file = dir.resolve("special.tnn");
        ModelFileWriter.write(file, m);
        Model back = ModelFileReader.read(file);
        float[] f2 = Tensors.toFloats(back.getParameters(0));
        double[] d2 = Tensors.toDoubles(back.getParameters(1));
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], Float.floatToRawIntBits(f2[i]), "float bits " + Integer.toHexString(bits[i]));
        }
        for (int i = 0; i < lbits.length; i++) {
            assertEquals(lbits[i], Double.doubleToRawLongBits(d2[i]), "double bits " + Long.toHexString(lbits[i]));
        }
    }

    @Test
    void largeTensorRoundTrip(@TempDir Path dir) {
        float[] big = new float[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f - 7;
        }
        Model m = minimal().addParameters(Tensors.f32("big", new long[] {1024, 1024}, big)).build();
        Path file = dir.resolve("big.tnn");
        ModelFileWriter.write(file, m);
        assertArrayEquals(big, Tensors.toFloats(ModelFileReader.read(file).getParameters(0)));
    }

    @Test
    void tensorHelpersCheckShapesAndTypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.f32("w", new long[] {2, 3}, new float[5]));
        assertEquals("tensor 'w' has 5 values but shape [2, 3] needs 6", e.getMessage());
        Tensor t = Tensors.f64("x", new long[] {}, new double[] {3});
        assertEquals(1, Tensors.elementCount(t.getShape()), "scalar");
        e = assertThrows(IllegalArgumentException.class, () -> Tensors.toFloats(t));
        assertEquals("tensor 'x' is F64, not F32", e.getMessage());
        assertEquals(-1, Tensors.byteCount(Tensors.shape(1L << 40, 1L << 40), DType.F32), "overflow detected");
        assertEquals(-1, Tensors.byteCount(Tensors.shape(1L << 61), DType.F64), "overflow in the byte count");
        assertEquals(-1, Tensors.byteCount(Tensors.shape(2), DType.DTYPE_UNSPECIFIED));
        assertEquals(24, Tensors.byteCount(Tensors.shape(2, 3), DType.F32));
        e = assertThrows(IllegalArgumentException.class, () -> TensorBytes.toFloats(ByteString.copyFrom(new byte[6])));
        assertEquals("F32 data has 6 bytes, which is not a multiple of 4", e.getMessage());
    }

    @Test
    void crc32cIsTheCastagnoliVariantDocumentedInTheProto() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, crc.getValue());
    }

    @Test
    void fileLayoutIsTagChecksumBody() {
        Model m = minimal().putMetadata("dataset", "mnist").build();
        byte[] file = ModelFileWriter.toBytes(m);
        assertEquals(0x0D, file[0]);
        // Exactly what a Python reader does: CRC-32C over bytes 5.., compared with bytes 1..4 little-endian.
        assertArrayEquals(TestFiles.frame(m.toByteArray()), file);
        assertTrue(file.length > 5);
    }

    static Model.Builder minimal() {
        return Model.newBuilder().setHeader(ModelFormat.header("tinynn-java test"));
    }
}
