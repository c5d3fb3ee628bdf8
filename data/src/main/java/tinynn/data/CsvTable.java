package tinynn.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A CSV file with a header line naming its columns, kept as text until a caller asks for numbers: a column's values
 * ({@link #column}) or a numeric matrix of some columns ({@link #numbers}). Fields are separated by commas and not
 * quoted; surrounding spaces are trimmed; blank lines are skipped. Every problem is a {@link DataException} reading
 * {@code file:line: column 'name': what is wrong}.
 *
 * @param source the file name, for messages
 * @param header the column names, in file order
 * @param rows each row's fields, {@code header.size()} of them
 * @param lines the line of the file each row came from
 */
public record CsvTable(String source, List<String> header, List<String[]> rows, int[] lines) {

    public CsvTable {
        header = List.copyOf(header);
        rows = Collections.unmodifiableList(rows);
    }

    public int size() { return rows.size(); }

    /** Reads {@code file}: a header line, then rows of as many fields. */
    public static CsvTable read(Path file) throws IOException {
        String source = file.toString();
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int lineNo = 0;
        for (String line : text(file).lines().toList()) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // spreadsheet exports often start with a byte-order mark
            if (line.isBlank()) continue;
            String[] fields = line.split(",", -1);
            for (int i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
            if (header == null) {
                header = List.of(fields);
                checkHeader(source, lineNo, header);
                continue;
            }
            if (fields.length != header.size()) {
                throw new DataException(source + ":" + lineNo + ": the row has " + fields.length + " fields but the header names "
                        + header.size() + " columns; give every row one value per column");
            }
            rows.add(fields);
            lines.add(lineNo);
        }
        if (header == null) throw new DataException(source + ": empty file; a table needs a header line naming its columns, then rows");
        if (rows.isEmpty()) throw new DataException(source + ": a header but no rows");
        return new CsvTable(source, header, rows, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The file as UTF-8 text; bytes that are not UTF-8 are an error naming their line. */
    private static String text(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
            throw new DataException(file + ":" + line + ": not UTF-8 text; save the table as UTF-8 CSV");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static void checkHeader(String source, int line, List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.isEmpty()) throw new DataException(source + ":" + line + ": column " + (i + 1) + " of the header has no name; name every column");
            if (header.indexOf(name) != i) throw new DataException(source + ":" + line + ": two columns are named '" + name + "'; rename one");
        }
    }

    /** Index of the column called {@code name}; an error listing the columns when there is none. */
    public int index(String name) {
        int i = header.indexOf(name);
        if (i < 0) throw new DataException(source + ": no column '" + name + "'; the columns are " + String.join(", ", header));
        return i;
    }

    /** The text of column {@code name}, one value a row; an empty value is an error naming its line. */
    public String[] column(String name) {
        int c = index(name);
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r)[c];
            if (out[r].isEmpty()) throw new DataException(where(r, name) + "no value; fill in every field");
        }
        return out;
    }

    /** Columns {@code names} as numbers, row-major ({@code size() × names.size()}); a field that is not a finite number is an error. */
    public float[] numbers(List<String> names) {
        int f = names.size();
        int[] idx = new int[f];
        for (int j = 0; j < f; j++) idx[j] = index(names.get(j));
        float[] out = new float[rows.size() * f];
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int j = 0; j < f; j++) out[r * f + j] = number(r, names.get(j), row[idx[j]]);
        }
        return out;
    }

    /** The value of row {@code r} in column {@code name}, text {@code v}, as a number. */
    public float number(int r, String name, String v) {
        if (v.isEmpty()) throw new DataException(where(r, name) + "no value; fill in every field (tinynn does not impute missing values)");
        float x;
        try {
            x = Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new DataException(where(r, name) + "'" + v + "' is not a number; feature columns must be numeric (drop or encode the column)");
        }
        if (!Float.isFinite(x)) throw new DataException(where(r, name) + "'" + v + "' is not a finite number");
        return x;
    }

    /** "file:line: column 'name' (N): " for row r. */
    public String where(int r, String name) {
        return source + ":" + lines[r] + ": column '" + name + "' (" + (header.indexOf(name) + 1) + "): ";
    }
}
