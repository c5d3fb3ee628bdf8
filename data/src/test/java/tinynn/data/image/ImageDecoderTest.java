package tinynn.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.base.TinynnException;
import tinynn.data.DataException;

/**
 * The decoders as a library: the format is chosen by the first bytes, a PNG written here byte by byte decodes
 * to its pixels, and every failure is a {@link DataException} (a {@link TinynnException}) naming the file. The
 * decoders are compared with ImageIO over every colour type and fuzzed in the cli module's image tests.
 */
class ImageDecoderTest {

    @Test void aHandWrittenPngDecodesToItsPixels(@TempDir Path dir) throws Exception {
        // 3x2 greyscale, 8 bits, filter 0 on each row.
        byte[] png = png(3, 2, new byte[] {0, 0, 100, (byte) 255, 0, 50, 60, 70});
        assertTrue(ImageDecoder.isImage(png));
        Path file = dir.resolve("tiny.png");
        Files.write(file, png);
        GreyImage img = ImageDecoder.decode(file);
        assertEquals(3, img.width());
        assertEquals(2, img.height());
        assertArrayEquals(new float[] {0, 100, 255, 50, 60, 70}, img.pixels());
    }

    @Test void anythingElseIsADataExceptionNamingTheFile() {
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode("notes.txt", "hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("notes.txt: not a PNG or JPEG image", e.getMessage());
        assertInstanceOf(TinynnException.class, e);
        assertFalse(ImageDecoder.isImage("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test void sizesBeyondTheLimitAreRefusedBeforeDecoding() {
        byte[] png = png(ImageDecoder.MAX_SIDE + 1, 1, new byte[2]);
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode("wide.png", png));
        assertTrue(e.getMessage().startsWith("wide.png: PNG says the image is 65536x1 pixels"), e.getMessage());
    }

    @Test void aTruncatedJpegNamesTheFile() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode("cut.jpg", jpeg));
        assertEquals("cut.jpg: truncated JPEG (no image data)", e.getMessage());
    }

    @Test void anImageHoldsExactlyItsPixels() {
        assertThrows(IllegalArgumentException.class, () -> new GreyImage(2, 2, new float[3]));
    }

    private static byte[] png(int width, int height, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngDecoder.signature());
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        writeInt(ihdr, width);
        writeInt(ihdr, height);
        ihdr.writeBytes(new byte[] {8, 0, 0, 0, 0}); // 8-bit greyscale, no interlacing
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[1024];
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        while (!d.finished()) z.write(buf, 0, d.deflate(buf));
        d.end();
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        writeInt(out, data.length);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }
}
