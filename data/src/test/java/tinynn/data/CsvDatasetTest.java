package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {
    @TempDir
    Path tmp;

    private Path csv(String content) throws IOException {
        return Files.writeString(tmp.resolve("data.csv"), content, StandardCharsets.UTF_8);
    }

    private String failure(String content, int numClasses) throws IOException {
        Path file = csv(content);
        return assertThrows(DataException.class, () -> CsvDataset.read(file, numClasses)).getMessage();
    }

    @Test
    void readsRowsAndSkipsHeaderBomBlankLinesAndCrlf() throws IOException {
        Path file = csv("\uFEFFlabel,p0,p1,p2\r\n3, 0,255,12.5\r\n\r\n0,1,2,3\n\n");
        CsvDataset data = CsvDataset.read(file, 10);
        assertEquals(2, data.count());
        assertEquals(3, data.width());
        assertArrayEquals(new int[] {3, 0}, data.labels());
        assertArrayEquals(new float[] {0, 255, 12.5f, 1, 2, 3}, data.values());
        float[] f = new float[3];
        data.features(1, 2, f, 0);
        assertArrayEquals(new float[] {1, 2, 3}, f);
        double[] d = new double[4];
        data.features(0, 1, d, 1);
        assertArrayEquals(new double[] {0, 0, 255, 12.5}, d);
        assertEquals(0, data.label(1));
    }

    @Test
    void firstLineIsDataWhenItStartsWithAnInteger() throws IOException {
        CsvDataset data = CsvDataset.read(csv("1,5\n2,6\n"), 3);
        assertEquals(2, data.count());
        assertArrayEquals(new int[] {1, 2}, data.labels());
    }

    @Test
    void raggedRowNamesFileAndLine() throws IOException {
        String message = failure("label,a,b\n1,2,3\n\n4,5\n", 10);
        assertEquals(tmp.resolve("data.csv") + ":4: has 2 columns but line 2 has 3; every row needs a label and the"
                + " same number of features (look for a missing or extra comma)", message);
    }

    @Test
    void badLabelNamesFileAndLine() throws IOException {
        assertEquals(tmp.resolve("data.csv") + ":2: column 1: label 'x' is not a whole number; labels are class"
                + " indices 0..9 in the first column (rows must look like label,f0,f1,...)", failure("1,2\nx,3\n", 10));
        assertEquals(tmp.resolve("data.csv") + ":3: column 1: label 10 is out of range for 10 classes (0..9); fix the"
                + " row or declare more classes", failure("h,h\n1,2\n10,3\n", 10));
        assertEquals(tmp.resolve("data.csv") + ":1: column 1: label -1 is negative; labels are class indices 0..9;"
                + " fix or remove the row", failure("-1,2\n", 10));
    }

    @Test
    void badValueNamesFieldAndLine() throws IOException {
        assertEquals(tmp.resolve("data.csv") + ":2: column 3: 'abc' is not a number; every column after the label"
                + " must be a number", failure("1,2,3\n1,2,abc\n", 10));
        assertEquals(tmp.resolve("data.csv") + ":1: column 2: 'NaN' is not a finite number; replace missing or"
                + " infinite values with numbers", failure("1,NaN\n", 10));
        assertEquals(tmp.resolve("data.csv") + ":1: row has a label but no features; rows must look like label,f0,f1,...",
                failure("1\n", 10));
    }

    @Test
    void emptyOrHeaderOnlyFileHasNoRows() throws IOException {
        assertEquals(tmp.resolve("data.csv") + ": no data rows; rows must look like label,f0,f1,...",
                failure("label,p0\n\n", 10));
    }

    @Test
    void rawPixelRowsBecomeImages() throws IOException {
        CsvDataset data = CsvDataset.read(csv("7,0,128,255,1\n"), 10);
        ImageDataset images = data.asImages(2, 2);
        assertEquals(new ImageDataset(1, 2, 2, new byte[] {0, (byte) 128, (byte) 255, 1}, new byte[] {7}, 10), images);
        DataException shape = assertThrows(DataException.class, () -> data.asImages(3, 3));
        assertEquals(data.source() + ": rows have 4 features, not 3x3 = 9 pixels", shape.getMessage());
        CsvDataset scaled = CsvDataset.read(csv("7,0,0.5,1,1\n"), 10);
        DataException e = assertThrows(DataException.class, () -> scaled.asImages(2, 2));
        assertEquals(scaled.source() + ":1: column 3: value 0.5 is not a whole pixel value 0..255; image rows need"
                + " raw 0-255 pixels, not normalised ones", e.getMessage());
    }

    @Property(tries = 50)
    void writtenRowsReadBack(@ForAll("rows") List<int[]> rows) throws IOException {
        StringBuilder text = new StringBuilder("label,a,b,c\n");
        for (int[] r : rows) {
            text.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(r[3]).append('\n');
        }
        Path file = Files.createTempFile("rows", ".csv");
        try {
            Files.writeString(file, text);
            CsvDataset data = CsvDataset.read(file, 5);
            assertEquals(rows.size(), data.count());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(rows.get(i)[0], data.label(i));
                float[] f = new float[3];
                data.features(i, i + 1, f, 0);
                assertArrayEquals(new float[] {rows.get(i)[1], rows.get(i)[2], rows.get(i)[3]}, f);
            }
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<List<int[]>> rows() {
        Arbitrary<int[]> row = Arbitraries.integers().between(0, 4).flatMap(label ->
                Arbitraries.integers().between(-1000, 1000).array(int[].class).ofSize(3)
                        .map(v -> new int[] {label, v[0], v[1], v[2]}));
        return row.list().ofMinSize(1).ofMaxSize(20);
    }
}
