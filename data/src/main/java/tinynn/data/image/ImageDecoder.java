package tinynn.data.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tinynn.data.DataException;

/**
 * Decodes PNG and JPEG files to {@link GreyImage} or {@link RgbImage}, choosing the decoder by the file's first bytes. Both decoders
 * are independent of AWT/ImageIO (which a native image may lack), and every problem is a {@link DataException}
 * whose one-line message names the file.
 */
public final class ImageDecoder {
    /** Largest width or height accepted (JPEG's own limit; documented in cli/README.md). */
    public static final int MAX_SIDE = 65535;
    /** Largest width×height accepted: 64 Mi pixels, 256 MiB as floats (documented in cli/README.md). */
    public static final long MAX_PIXELS = 1L << 26;

    private ImageDecoder() {}

    /** Whether {@code head} (the file's first bytes) starts a PNG or JPEG file. */
    public static boolean isImage(byte[] head) { return PngDecoder.isPng(head) || JpegDecoder.isJpeg(head); }

    /** Decodes a PNG or JPEG file held in {@code bytes}, called {@code name} in messages. */
    public static GreyImage decode(String name, byte[] bytes) {
        if (PngDecoder.isPng(bytes)) return PngDecoder.decode(name, bytes);
        if (JpegDecoder.isJpeg(bytes)) return JpegDecoder.decode(name, bytes);
        throw new DataException(name + ": not a PNG or JPEG image");
    }

    /** Reads and decodes {@code file}. */
    public static GreyImage decode(Path file) throws IOException {
        return decode(file.toString(), Files.readAllBytes(file));
    }

    /** Decodes a PNG or JPEG file held in {@code bytes} to RGB (grey replicated), called {@code name} in messages. */
    public static RgbImage decodeRgb(String name, byte[] bytes) {
        if (PngDecoder.isPng(bytes)) return PngDecoder.decodeRgb(name, bytes);
        if (JpegDecoder.isJpeg(bytes)) return JpegDecoder.decodeRgb(name, bytes);
        throw new DataException(name + ": not a PNG or JPEG image");
    }

    /** Reads and decodes {@code file} to RGB. */
    public static RgbImage decodeRgb(Path file) throws IOException {
        return decodeRgb(file.toString(), Files.readAllBytes(file));
    }

    /** Refuses sizes beyond {@link #MAX_SIDE} and {@link #MAX_PIXELS} before anything is allocated. */
    static void checkSize(String name, String format, long width, long height) {
        if (width <= 0 || height <= 0) throw new DataException(name + ": corrupt " + format + ": the image is " + width + "x" + height + " pixels");
        if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            throw new DataException(name + ": " + format + " says the image is " + width + "x" + height + " pixels; tinynn reads images up to "
                    + MAX_SIDE + " pixels a side and " + String.format(Locale.ROOT, "%,d", MAX_PIXELS) + " pixels in all: shrink it first");
        }
    }
}
