package tinynn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled feature rows read from CSV lines {@code label,f0,f1,...} (the layout of the popular
 * MNIST-as-CSV exports). A first line whose first field is not an integer is taken to be a header
 * and skipped; blank lines are ignored. Values are kept exactly as written: use
 * {@link #asImages(int, int)} when they are raw 0-255 pixels.
 *
 * <p>Every problem is a {@link DataException} reading {@code file:line: column N: what is wrong;
 * what to do}, including text that is not UTF-8.
 *
 * @param source the file name, for messages
 * @param width features per row
 * @param values {@code count * width} features, row-major
 * @param lines the line of the file each row came from, for messages about its values
 */
public record CsvDataset(String source, int count, int width, float[] values, int[] labels, int numClasses,
        int[] lines) {

    private static final String LAYOUT = "rows must look like label,f0,f1,...";

    public CsvDataset {
        Objects.requireNonNull(source, "source");
        if ((long) count * width != values.length || labels.length != count || lines.length != count) {
            throw new IllegalArgumentException(count + " rows of " + width + " need " + (long) count * width
                    + " values and " + count + " labels and line numbers, got " + values.length + ", "
                    + labels.length + " and " + lines.length);
        }
    }

    /**
     * Reads {@code file}; every problem is reported as {@code file:line: what is wrong}.
     *
     * @param numClasses labels must be {@code 0..numClasses-1}
     */
    public static CsvDataset read(Path file, int numClasses) throws IOException {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive: " + numClasses);
        }
        String source = file.toString();
        float[] values = new float[1024];
        int[] labels = new int[64];
        int[] lines = new int[64];
        int count = 0;
        int width = -1;
        int widthLine = 0;
        boolean firstLine = true;
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataException(source + ": no such file");
        }
        try (LineReader reader = new LineReader(raw)) {
            String line;
            int lineNo = 0;
            while ((line = reader.next(source + ":" + (lineNo + 1) + ": ")) != null) {
                lineNo++;
                if (firstLine && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // spreadsheet exports often start with a byte-order mark
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (firstLine) {
                    firstLine = false;
                    if (!isInteger(fields[0].trim())) {
                        continue; // header
                    }
                }
                String where = source + ":" + lineNo + ": ";
                if (fields.length < 2) {
                    throw new DataException(where + "row has a label but no features; " + LAYOUT);
                }
                if (width < 0) {
                    width = fields.length - 1;
                    widthLine = lineNo;
                } else if (fields.length - 1 != width) {
                    throw new DataException(where + "has " + fields.length + " columns but line " + widthLine
                            + " has " + (width + 1) + "; every row needs a label and the same number of features"
                            + " (look for a missing or extra comma)");
                }
                int label = parseLabel(fields[0].trim(), where, numClasses);
                if ((long) (count + 1) * width > IdxReader.MAX_ELEMENTS) {
                    throw new DataException(where + "too many values for one array; split the file");
                }
                if (count == labels.length) {
                    labels = Arrays.copyOf(labels, 2 * count);
                    lines = Arrays.copyOf(lines, 2 * count);
                }
                labels[count] = label;
                lines[count] = lineNo;
                int base = count * width;
                if (base + width > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(IdxReader.MAX_ELEMENTS,
                            Math.max(2L * values.length, (long) base + width)));
                }
                for (int f = 1; f <= width; f++) {
                    values[base + f - 1] = parseValue(fields[f].trim(), where, f);
                }
                count++;
            }
        }
        if (count == 0) {
            throw new DataException(source + ": no data rows; " + LAYOUT);
        }
        return new CsvDataset(source, count, width, Arrays.copyOf(values, count * width),
                Arrays.copyOf(labels, count), numClasses, Arrays.copyOf(lines, count));
    }

    private static int parseLabel(String text, String where, int numClasses) {
        String range = "labels are class indices 0.." + (numClasses - 1);
        if (!isInteger(text)) {
            throw new DataException(where + "column 1: label " + quote(text) + " is not a whole number; " + range
                    + " in the first column (" + LAYOUT + ")");
        }
        int label = Integer.parseInt(text);
        if (label < 0) {
            throw new DataException(where + "column 1: label " + label + " is negative; " + range
                    + "; fix or remove the row");
        }
        if (label >= numClasses) {
            throw new DataException(where + "column 1: label " + label + " is out of range for " + numClasses
                    + " classes (0.." + (numClasses - 1) + "); fix the row or declare more classes");
        }
        return label;
    }

    private static float parseValue(String text, String where, int field) {
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new DataException(where + "column " + (field + 1) + ": " + quote(text)
                    + " is not a number; every column after the label must be a number");
        }
        if (!Float.isFinite(value)) {
            throw new DataException(where + "column " + (field + 1) + ": " + quote(text)
                    + " is not a finite number; replace missing or infinite values with numbers");
        }
        return value;
    }

    /**
     * A cell as quoted in a message: shortened (a corrupt file can hold a megabyte of text in one)
     * and with control characters escaped, so a stray carriage return cannot split the message.
     */
    private static String quote(String text) {
        String shown = text.length() <= 40 ? text : text.substring(0, 37) + "...";
        StringBuilder out = new StringBuilder(shown.length() + 2).append('\'');
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }

    private static boolean isInteger(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return false;
        }
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Lines of strictly decoded UTF-8, ended as {@link java.io.BufferedReader#readLine()} ends them
     * ({@code \n}, {@code \r\n} or {@code \r}). Decoding line by line
     * names the line and byte at fault, where a {@link java.io.BufferedReader} only throws
     * {@code MalformedInputException: Input length = 1}.
     */
    private static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        private final byte[] chunk = new byte[1 << 16];
        private int chunkPos;
        private int chunkEnd;
        private byte[] buf = new byte[256];
        private boolean afterCr; // a '\n' right after a '\r' ends no further line

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line without its terminator, or {@code null} at the end; {@code where} prefixes errors. */
        String next(String where) throws IOException {
            int len = 0;
            boolean ended = false;
            while (!ended) {
                if (chunkPos == chunkEnd) {
                    chunkEnd = in.read(chunk);
                    chunkPos = 0;
                    if (chunkEnd <= 0) {
                        chunkEnd = 0;
                        if (len == 0) {
                            return null;
                        }
                        break;
                    }
                }
                if (afterCr && chunk[chunkPos] == '\n') {
                    chunkPos++;
                }
                afterCr = false;
                int start = chunkPos;
                while (chunkPos < chunkEnd && chunk[chunkPos] != '\n' && chunk[chunkPos] != '\r') {
                    chunkPos++;
                }
                int n = chunkPos - start;
                if (chunkPos < chunkEnd) {
                    afterCr = chunk[chunkPos] == '\r';
                    chunkPos++; // the terminator
                    ended = true;
                }
                if ((long) len + n > buf.length) {
                    long grown = Math.max(2L * buf.length, (long) len + n);
                    if (grown > IdxReader.MAX_ELEMENTS) {
                        throw new DataException(where + "line too long; is this really a CSV file?");
                    }
                    buf = Arrays.copyOf(buf, (int) grown);
                }
                System.arraycopy(chunk, start, buf, len, n);
                len += n;
            }
            ByteBuffer bytes = ByteBuffer.wrap(buf, 0, len);
            CharBuffer chars = CharBuffer.allocate(len);
            decoder.reset();
            CoderResult result = decoder.decode(bytes, chars, true);
            if (!result.isError()) {
                result = decoder.flush(chars);
            }
            if (result.isError()) {
                throw new DataException(String.format("%sbyte %d (0x%02x) is not valid UTF-8 text; save the file as"
                        + " UTF-8 or plain ASCII CSV (is this really a CSV file?)",
                        where, bytes.position() + 1, buf[bytes.position()] & 0xFF));
            }
            return chars.flip().toString();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    public int label(int row) {
        Objects.checkIndex(row, count);
        return labels[row];
    }

    /** Features of rows {@code [from, to)}, unchanged, into {@code dst[offset...]}. */
    public void features(int from, int to, float[] dst, int offset) {
        Objects.checkFromToIndex(from, to, count);
        System.arraycopy(values, from * width, dst, offset, (to - from) * width);
    }

    /** As {@link #features(int, int, float[], int)}, widened to double. */
    public void features(int from, int to, double[] dst, int offset) {
        Objects.checkFromToIndex(from, to, count);
        Objects.checkFromIndexSize(offset, (to - from) * width, dst.length);
        for (int i = from * width, end = to * width; i < end; i++) {
            dst[offset++] = values[i];
        }
    }

    /**
     * Reinterprets rows of raw 0-255 pixel values as {@code rows x cols} images, so CSV exports of
     * MNIST feed the same pipeline as the IDX files.
     */
    public ImageDataset asImages(int rows, int cols) {
        if ((long) rows * cols != width) {
            throw new DataException(source + ": rows have " + width + " features, not " + rows + "x" + cols + " = "
                    + (long) rows * cols + " pixels");
        }
        if (numClasses > 256) {
            throw new DataException(source + ": " + numClasses + " classes do not fit the byte labels of an ImageDataset");
        }
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!isPixel(v)) {
                throw new DataException(source + ":" + lines[i / width] + ": column " + (i % width + 2) + ": value "
                        + (v == (int) v ? Integer.toString((int) v) : Float.toString(v))
                        + " is not a whole pixel value 0..255; image rows need raw 0-255 pixels, not normalised ones");
            }
            pixels[i] = (byte) v;
        }
        byte[] labelBytes = new byte[count];
        for (int i = 0; i < count; i++) {
            labelBytes[i] = (byte) labels[i];
        }
        return new ImageDataset(count, rows, cols, pixels, labelBytes, numClasses);
    }

    /** Whether {@code v} is a raw pixel value, an integer 0..255: the rule of {@link #asImages(int, int)}. */
    public static boolean isPixel(float v) {
        return v == (int) v && v >= 0 && v <= 255;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CsvDataset that && source.equals(that.source) && count == that.count
                && width == that.width && numClasses == that.numClasses && Arrays.equals(values, that.values)
                && Arrays.equals(labels, that.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, count, width, numClasses, Arrays.hashCode(values), Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        return "CsvDataset[" + source + ": " + count + " rows of " + width + ", " + numClasses + " classes]";
    }
}
