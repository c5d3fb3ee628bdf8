package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad CSV is a one-line DataException naming file, line and column, and what to do. */
class CsvErrorsTest {
    @TempDir
    Path tmp;

    private Path file;

    private String failure(byte[] content, int numClasses) throws IOException {
        file = Files.write(tmp.resolve("bad.csv"), content);
        String message = assertThrows(DataException.class, () -> CsvDataset.read(file, numClasses)).getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private String failure(String content, int numClasses) throws IOException {
        return failure(content.getBytes(StandardCharsets.UTF_8), numClasses);
    }

    @Test
    void invalidUtf8NamesLineAndByte() throws IOException {
        byte[] content = {'0', ',', '1', '\n', '1', ',', '2', (byte) 0xFF, '\n'};
        assertEquals(tmp.resolve("bad.csv") + ":2: byte 4 (0xff) is not valid UTF-8 text; save the file as UTF-8 or"
                + " plain ASCII CSV (is this really a CSV file?)", failure(content, 10));
        // a truncated multi-byte sequence at the very end of the file
        assertTrue(failure(new byte[] {'0', ',', '1', ',', (byte) 0xC3}, 10)
                .startsWith(file + ":1: byte 5 (0xc3) is not valid UTF-8 text"));
    }

    @Test
    void validUtf8HeaderWithAccentsIsFine() throws IOException {
        Path ok = Files.writeString(tmp.resolve("ok.csv"), "étiquette,pixel\r\n1,2\r\n", StandardCharsets.UTF_8);
        assertEquals(1, CsvDataset.read(ok, 3).count());
    }

    @Test
    void lineEndingsAreThoseOfReadLineAndNumberedAlike() throws IOException {
        Path mixed = Files.writeString(tmp.resolve("mixed.csv"), "1,2\r3,4\r\n\r\n5,6\n\r7,8");
        CsvDataset data = CsvDataset.read(mixed, 10);
        assertEquals(4, data.count());
        assertEquals(7, data.label(3));
        assertTrue(failure("1,2\r3,4\r\n\r\nx,6\n", 10).startsWith(file + ":4: column 1: label 'x'"));
    }

    @Test
    void controlCharactersInACellAreEscapedSoTheMessageStaysOneLine() throws IOException {
        assertTrue(failure("1,0\u000b1,2\n", 10).contains(":1: column 2: '0\\u000b1' is not a number"));
        assertTrue(failure("1,0\u2028\n", 10).contains(":1: column 2: '0\\u2028' is not a number"));
    }

    @Test
    void labelsOutsideTheClassesNameLineAndColumn() throws IOException {
        assertTrue(failure("1,0\n-1,0\n", 256).startsWith(file + ":2: column 1: label -1 is negative"));
        assertTrue(failure("1,0\n2,0\n3,0\n", 3).startsWith(file + ":3: column 1: label 3 is out of range for 3"
                + " classes (0..2)"));
        assertTrue(failure("1,0\n1.5,0\n", 3).startsWith(file + ":2: column 1: label '1.5' is not a whole number"));
        assertTrue(failure("1,0\n99999999999,0\n", 3).contains(":2: column 1: label '99999999999' is not"));
    }

    @Test
    void badCellsNameLineAndColumn() throws IOException {
        assertTrue(failure("1,0,0\n1,0,x\n", 3).startsWith(file + ":2: column 3: 'x' is not a number"));
        assertTrue(failure("1,0,0\n1,,0\n", 3).startsWith(file + ":2: column 2: '' is not a number"));
        assertTrue(failure("1,0,Infinity\n", 3).startsWith(file + ":1: column 3: 'Infinity' is not a finite number"));
        assertTrue(failure("1,0,1e39\n", 3).startsWith(file + ":1: column 3: '1e39' is not a finite number"));
        assertTrue(failure("1,0,0\n1,0\n", 3).startsWith(file + ":2: has 2 columns but line 1 has 3"));
        assertTrue(failure("1,0,0\n1,0,0,0\n", 3).startsWith(file + ":2: has 4 columns but line 1 has 3"));
        String longCell = "1,0," + "7".repeat(100) + "x\n";
        assertTrue(failure(longCell, 3).contains("column 3: '" + "7".repeat(37) + "...' is not a number"));
    }

    @Test
    void pixelsOutsideTheByteRangeNameLineAndColumn() throws IOException {
        Path csv = Files.writeString(tmp.resolve("px.csv"), "label,a,b,c,d\n1,0,0,0,0\n\n2,0,256,0,0\n");
        CsvDataset data = CsvDataset.read(csv, 3);
        DataException e = assertThrows(DataException.class, () -> data.asImages(2, 2));
        assertEquals(csv + ":4: column 3: value 256 is not a whole pixel value 0..255; image rows need raw 0-255"
                + " pixels, not normalised ones", e.getMessage());
        Path negative = Files.writeString(tmp.resolve("neg.csv"), "1,0,0,0,-1\n");
        DataException n = assertThrows(DataException.class, () -> CsvDataset.read(negative, 3).asImages(2, 2));
        assertTrue(n.getMessage().startsWith(negative + ":1: column 5: value -1 is not a whole pixel value"),
                n.getMessage());
    }
}
