package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The native-image CRC-32C loop (several interleaved chains, joined) gives the JDK's value for every byte range. */
class Crc32cProperties {

    private static int jdk(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Property(tries = 300)
    void interleavedEqualsTheJdk(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3 * Crc32c.MIN_SPLIT) int length,
            @ForAll @IntRange(min = 0, max = 17) int offset, @ForAll @IntRange(min = 0, max = 17) int after) {
        byte[] data = bytes(seed, offset + length + after);
        assertEquals(jdk(data, offset, length), Crc32c.interleaved(data, offset, length));
        assertEquals(jdk(data, offset, length), Crc32c.of(data, offset, length));
    }

    @Test
    void largeAndEdgeLengths() {
        // Around the split threshold and the chains' 8-byte words, and a model-sized range.
        int[] lengths = {0, 1, 7, 8, 9, Crc32c.MIN_SPLIT - 1, Crc32c.MIN_SPLIT, Crc32c.MIN_SPLIT + 1,
            Crc32c.MIN_SPLIT + 8 * Crc32c.STREAMS - 1, 4_263_809};
        for (int length : lengths) {
            byte[] data = bytes(length, length + 5);
            assertEquals(jdk(data, 5, length), Crc32c.interleaved(data, 5, length), "length " + length);
        }
        assertEquals(0xE3069283, Crc32c.interleaved("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 9),
                "the CRC-32C check value");
    }
}
