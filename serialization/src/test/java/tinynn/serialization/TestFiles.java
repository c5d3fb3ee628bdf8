package tinynn.serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import tinynn.serialization.proto.Model;

/**
 * Test support: builds files exactly as model.proto documents the layout (independently of ModelFileWriter), so
 * tests can craft files that the writer would refuse to produce.
 */
final class TestFiles {

    private TestFiles() {}

    /** 0x0D, CRC-32C(body) little-endian, body: the documented file layout. */
    static byte[] frame(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        long c = crc.getValue();
        byte[] out = new byte[body.length + 5];
        out[0] = 0x0D;
        out[1] = (byte) c;
        out[2] = (byte) (c >>> 8);
        out[3] = (byte) (c >>> 16);
        out[4] = (byte) (c >>> 24);
        System.arraycopy(body, 0, out, 5, body.length);
        return out;
    }

    /** A framed file for any message, valid or not (no validation). */
    static byte[] frame(Model model) {
        return frame(model.toByteArray());
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("tinynn-serialization-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names in {@code dir}, sorted. */
    static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
