package tinynn.data.image;

/**
 * A decoded image as greyscale: {@code width × height} values 0..255, row-major. The decoders turn colour into
 * luma and composite transparency over white, so every format arrives in this one form.
 */
public record GreyImage(int width, int height, float[] pixels) {
    public GreyImage {
        if ((long) width * height != pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
    }
}
