package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {

    private static int reference(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        return (int) crc.getValue();
    }

    @Test void checkValueOfTheFormatDocument() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.of(b, 0, b.length)); // the check value model.proto quotes
    }

    @Test void combiningTheCrcsOfTwoPartsGivesTheCrcOfTheWhole() {
        SplittableRandom rng = new SplittableRandom(14);
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = new byte[rng.nextInt(1, 5000)];
            rng.nextBytes(b);
            int cut = rng.nextInt(0, b.length + 1);
            int combined = Crc32c.combine(reference(b, 0, cut), reference(b, cut, b.length - cut), b.length - cut);
            assertEquals(reference(b, 0, b.length), combined, "length " + b.length + ", cut at " + cut);
        }
    }

    @Test void largeRangesAreCheckedInHalvesWithTheSameResult() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int len : new int[] {Crc32c.PARALLEL_BYTES, Crc32c.PARALLEL_BYTES + 1, 3 * Crc32c.PARALLEL_BYTES + 7}) {
            byte[] b = new byte[len + 10];
            rng.nextBytes(b);
            assertEquals(reference(b, 5, len), Crc32c.of(b, 5, len), "length " + len);
        }
    }
}
