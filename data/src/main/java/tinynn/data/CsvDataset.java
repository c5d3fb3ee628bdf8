package tinynn.data;

import java.io.BufferedReader;
import java.io.IOException;
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
 * @param source the file name, for messages
 * @param width features per row
 * @param values {@code count * width} features, row-major
 */
public record CsvDataset(String source, int count, int width, float[] values, int[] labels, int numClasses) {

    private static final String LAYOUT = "rows must look like label,f0,f1,...";

    public CsvDataset {
        Objects.requireNonNull(source, "source");
        if ((long) count * width != values.length || labels.length != count) {
            throw new IllegalArgumentException(count + " rows of " + width + " need " + (long) count * width
                    + " values and " + count + " labels, got " + values.length + " and " + labels.length);
        }
    }

    /** Reads {@code file}; every problem is reported as {@code file:line: what is wrong}. */
    public static CsvDataset read(Path file, int numClasses) throws IOException {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive: " + numClasses);
        }
        String source = file.toString();
        float[] values = new float[1024];
        int[] labels = new int[64];
        int count = 0;
        int width = -1;
        int widthLine = 0;
        boolean firstLine = true;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
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
                    throw new DataException(where + "has " + (fields.length - 1) + " features but line " + widthLine
                            + " has " + width + "; every row needs the same number of features");
                }
                String labelText = fields[0].trim();
                if (!isInteger(labelText)) {
                    throw new DataException(where + "label '" + labelText + "' is not an integer; " + LAYOUT);
                }
                int label = Integer.parseInt(labelText);
                if (label < 0 || label >= numClasses) {
                    throw new DataException(where + "label " + label + " is out of range for " + numClasses
                            + " classes (0.." + (numClasses - 1) + ")");
                }
                if ((long) (count + 1) * width > IdxReader.MAX_ELEMENTS) {
                    throw new DataException(where + "too many values for one array; split the file");
                }
                if (count == labels.length) {
                    labels = Arrays.copyOf(labels, 2 * count);
                }
                labels[count] = label;
                int base = count * width;
                if (base + width > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(IdxReader.MAX_ELEMENTS,
                            Math.max(2L * values.length, base + width)));
                }
                for (int f = 1; f <= width; f++) {
                    values[base + f - 1] = parseValue(fields[f].trim(), where, f);
                }
                count++;
            }
        } catch (NoSuchFileException e) {
            throw new DataException(source + ": no such file");
        }
        if (count == 0) {
            throw new DataException(source + ": no data rows; " + LAYOUT);
        }
        return new CsvDataset(source, count, width, Arrays.copyOf(values, count * width),
                Arrays.copyOf(labels, count), numClasses);
    }

    private static float parseValue(String text, String where, int field) {
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new DataException(where + "field " + (field + 1) + " ('" + text + "') is not a number");
        }
        if (!Float.isFinite(value)) {
            throw new DataException(where + "field " + (field + 1) + " ('" + text + "') is not a finite number");
        }
        return value;
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
                throw new DataException(source + ": value " + v + " in data row " + (i / width + 1)
                        + " is not an integer pixel 0..255; asImages needs raw pixel values, not normalised ones");
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
