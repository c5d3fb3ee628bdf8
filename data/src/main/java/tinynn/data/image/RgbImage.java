package tinynn.data.image;

/**
 * A decoded image in colour: {@code width × height} pixels of red, green and blue, 0..255, stored channel-major
 * (every red value row by row, then every green, then every blue), the order a [C, H, W] tensor wants. The decoders
 * replicate grey sources into the three channels and composite transparency over white, as {@link GreyImage} does;
 * a pixel's luma (0.299 R + 0.587 G + 0.114 B) is what {@link ImageDecoder#decode} gives for it.
 */
public record RgbImage(int width, int height, float[] pixels) {
    public static final int CHANNELS = 3;

    public RgbImage {
        if ((long) CHANNELS * width * height != pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + (long) CHANNELS * width * height
                    + " values, got " + pixels.length);
        }
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y). */
    public float get(int c, int x, int y) { return pixels[(c * height + y) * width + x]; }
}
