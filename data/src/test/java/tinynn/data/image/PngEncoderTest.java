package tinynn.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the encoder writes, the project's decoder reads back pixel for pixel. */
class PngEncoderTest {

    @Test void greyRoundTrips() {
        int w = 7, h = 5;
        byte[] grey = new byte[w * h];
        for (int i = 0; i < grey.length; i++) grey[i] = (byte) (i * 37);
        GreyImage img = PngDecoder.decode("grey.png", PngEncoder.grey(w, h, grey));
        assertEquals(w, img.width());
        assertEquals(h, img.height());
        for (int i = 0; i < grey.length; i++) assertEquals(grey[i] & 0xFF, img.pixels()[i], 1e-4, "pixel " + i);
    }

    @Test void rgbOfEqualChannelsDecodesToThatGrey() {
        int w = 4, h = 3;
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (i * 20) * 0x010101;
        GreyImage img = PngDecoder.decode("rgb.png", PngEncoder.rgb(w, h, rgb));
        assertEquals(w, img.width());
        assertEquals(h, img.height());
        for (int i = 0; i < rgb.length; i++) assertEquals(i * 20, img.pixels()[i], 0.51, "pixel " + i);
    }
}
