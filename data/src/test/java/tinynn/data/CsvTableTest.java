package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables with a header: columns by name, numbers on demand, errors naming file, line and column; standardisation. */
class CsvTableTest {

    @Test void columnsAreReadByName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "\uFEFFa, b ,label\n1,2,x\n\n3, 4.5 ,y\n");
        CsvTable t = CsvTable.read(f);
        assertEquals(List.of("a", "b", "label"), t.header());
        assertEquals(2, t.size());
        assertArrayEquals(new int[] {2, 4}, t.lines());
        assertArrayEquals(new float[] {2, 1, 4.5f, 3}, t.numbers(List.of("b", "a")));
        assertArrayEquals(new String[] {"x", "y"}, t.column("label"));
    }

    @Test void problemsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "a,b\n1,2\n3,\n");
        CsvTable t = CsvTable.read(f);
        assertEquals(f + ":3: column 'b' (2): no value; fill in every field (tinynn does not impute missing values)",
                assertThrows(DataException.class, () -> t.numbers(List.of("a", "b"))).getMessage());
        assertEquals(f + ": no column 'c'; the columns are a, b", assertThrows(DataException.class, () -> t.index("c")).getMessage());
        Files.writeString(f, "a,a\n1,2\n");
        assertEquals(f + ":1: two columns are named 'a'; rename one", assertThrows(DataException.class, () -> CsvTable.read(f)).getMessage());
        Files.writeString(f, "a,b\n");
        assertEquals(f + ": a header but no rows", assertThrows(DataException.class, () -> CsvTable.read(f)).getMessage());
        Files.write(f, new byte[] {'a', '\n', (byte) 0xC3, '\n'});
        assertEquals(f + ":2: not UTF-8 text; save the table as UTF-8 CSV", assertThrows(DataException.class, () -> CsvTable.read(f)).getMessage());
    }

    @Test void standardisationUsesTheFittedStatisticsAndSurvivesText() {
        float[] x = {1, 10, 3, 10, 5, 10}; // column 0: mean 3, std sqrt(8/3); column 1 constant
        Standardization s = Standardization.fit(x, 2);
        assertEquals(3, s.mean()[0], 1e-9);
        assertEquals(Math.sqrt(8.0 / 3), s.std()[0], 1e-9);
        assertEquals(1, s.std()[1], 0, "a constant column is not divided by zero");
        s.apply(x);
        assertEquals(-Math.sqrt(1.5), x[0], 1e-6);
        assertEquals(0, x[1], 0);
        Standardization back = new Standardization(Standardization.parse(Standardization.text(s.mean()), 2, "mean"),
                Standardization.parse(Standardization.text(s.std()), 2, "std"));
        assertArrayEquals(s.std(), back.std(), 0, "the text round-trips exactly");
        assertEquals(7, s.invert(0, (7 - 3) / Math.sqrt(8.0 / 3)), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Standardization.parse("1,2", 3, "feature_mean"));
    }
}
