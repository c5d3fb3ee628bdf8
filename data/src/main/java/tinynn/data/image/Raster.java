package tinynn.data.image;

/**
 * What a decoder fills, pixel by pixel: one channel (luma) for {@link GreyImage} or three (channel-major) for
 * {@link RgbImage}. The decoders hand every pixel over as grey or as RGB with its alpha, and this class alone turns it
 * into the requested form, so the grey and colour decodings come from the same pixels.
 */
final class Raster {
    private final int width, height, plane;
    private final boolean rgb;
    private final float[] pixels;

    Raster(int width, int height, boolean rgb) {
        this.width = width;
        this.height = height;
        this.plane = width * height;
        this.rgb = rgb;
        this.pixels = new float[rgb ? RgbImage.CHANNELS * plane : plane];
    }

    boolean rgb() { return rgb; }

    /** Pixel {@code i} (row-major) is the opaque grey {@code v}. */
    void grey(int i, float v) {
        pixels[i] = v;
        if (rgb) {
            pixels[plane + i] = v;
            pixels[2 * plane + i] = v;
        }
    }

    /** Pixel {@code i} is the colour (r, g, b) with opacity {@code alpha} (0..1), composited over white. */
    void rgb(int i, float r, float g, float b, float alpha) {
        if (rgb) {
            pixels[i] = over(r, alpha);
            pixels[plane + i] = over(g, alpha);
            pixels[2 * plane + i] = over(b, alpha);
        } else {
            pixels[i] = over(luma(r, g, b), alpha);
        }
    }

    GreyImage greyImage() {
        if (rgb) throw new IllegalStateException("an RGB raster");
        return new GreyImage(width, height, pixels);
    }

    RgbImage rgbImage() {
        if (!rgb) throw new IllegalStateException("a grey raster");
        return new RgbImage(width, height, pixels);
    }

    /** ITU-R BT.601 luma, which is also JPEG's Y. */
    static float luma(float r, float g, float b) { return 0.299f * r + 0.587f * g + 0.114f * b; }

    /** Composited over a white background. */
    static float over(float v, float alpha) { return v * alpha + 255f * (1 - alpha); }
}
