package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarReaderTest {
    private static Map<String, byte[]> entries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/a", Fixtures.counting(700)); // spans two blocks
        entries.put("package/" + "long-directory-name/".repeat(8) + "b", new byte[] {1, 2, 3});
        entries.put("package/empty", new byte[0]);
        return entries;
    }

    @Test
    void readsRegularFilesWithUstarAndPaxNames() throws IOException {
        for (boolean pax : new boolean[] {false, true}) {
            Map<String, byte[]> entries = entries();
            if (!pax) {
                entries.remove(entries.keySet().toArray(String[]::new)[1]); // ustar names stop at 100 chars
            }
            TarReader tar = new TarReader(new ByteArrayInputStream(Fixtures.tar(entries, pax)));
            for (Map.Entry<String, byte[]> expected : entries.entrySet()) {
                TarReader.Entry entry = tar.next();
                assertEquals(new TarReader.Entry(expected.getKey(), expected.getValue().length), entry);
                assertArrayEquals(expected.getValue(), tar.readContent(1000));
            }
            assertNull(tar.next());
        }
    }

    @Test
    void unreadContentIsSkipped() throws IOException {
        TarReader tar = new TarReader(new ByteArrayInputStream(Fixtures.tar(entries(), true)));
        tar.next();
        tar.next();
        assertEquals("package/empty", tar.next().name());
    }

    @Test
    void corruptHeaderAndTruncationAreErrors() {
        byte[] bytes = Fixtures.tar(entries(), false);
        bytes[520] ^= 0x20; // a name byte of the first file header, after the directory entry
        IOException e = assertThrows(IOException.class, () -> {
            TarReader tar = new TarReader(new ByteArrayInputStream(bytes));
            while (tar.next() != null) {
                // read through
            }
        });
        assertEquals("not a tar archive (header checksum mismatch)", e.getMessage());

        byte[] cut = Arrays.copyOf(Fixtures.tar(entries(), false), 512 + 512 + 300);
        assertThrows(EOFException.class, () -> {
            TarReader tar = new TarReader(new ByteArrayInputStream(cut));
            tar.next();
            tar.readContent(1000);
        });
    }

    @Test
    void oversizedEntriesAreRefused() throws IOException {
        TarReader tar = new TarReader(new ByteArrayInputStream(Fixtures.tar(entries(), false)));
        tar.next();
        IOException e = assertThrows(IOException.class, () -> tar.readContent(699));
        assertEquals("tar entry of 700 bytes exceeds the expected 699", e.getMessage());
    }
}
