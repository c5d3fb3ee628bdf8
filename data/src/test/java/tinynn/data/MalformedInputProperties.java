package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bytes and random mutations of valid IDX (plain and gzip) and CSV inputs, fed to every
 * reader of this module: each must return a result or throw {@link DataException} (the documented
 * exception, whose message names the input), never anything else, and must allocate no more than
 * a constant plus a multiple of the bytes it was really given, whatever sizes a header claims.
 */
class MalformedInputProperties {
    /** Buffers (64 KiB read and inflate buffers, the exception and its message) plus slack. */
    private static final long CONSTANT_ALLOWANCE = 4L << 20;

    /**
     * Per input byte: CSV parsing makes a String per cell ("0," is two bytes, a String ~48) and
     * grows its arrays by doubling; IDX needs ~3 bytes per byte at most.
     */
    private static final long PER_BYTE_ALLOWANCE = 64;

    /** Values planted in header fields: sizes of 2^31 and beyond, and just below a Java array's limit. */
    private static final int[] HUGE = {0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x7FFFFFF7, 1 << 30, 1 << 24, 65_536, 0};

    /** CSV fragments that have broken readers: signs, separators, non-numbers, invalid UTF-8. */
    private static final List<byte[]> CSV_TOKENS = List.of(bytes("-1"), bytes(","), bytes("\n"), bytes("\r\n"),
            bytes("NaN"), bytes("Infinity"), bytes("1e39"), bytes("99999999999"), bytes("256"), bytes("0.5"),
            bytes("\uFEFF"), bytes(",,,"), bytes("label,"), new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {0});

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("tinynn-fuzz-");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** One edit of an input; {@code at} and {@code value} are reduced modulo what fits. */
    record Mutation(int kind, int at, int value, byte[] inserted) {
        byte[] apply(byte[] in) {
            int n = in.length;
            return switch (kind) {
                case 0 -> { // flip one bit
                    if (n == 0) {
                        yield in;
                    }
                    byte[] out = in.clone();
                    out[at % n] ^= (byte) (1 << (value & 7));
                    yield out;
                }
                case 1 -> Arrays.copyOf(in, at % (n + 1)); // truncate
                case 2 -> insert(in, at % (n + 1), inserted);
                case 3 -> { // a header-sized field set to a huge value: the dimensions of an IDX file
                    int offset = 4 * (1 + at % 4);
                    if (offset + 4 > n) {
                        yield in;
                    }
                    byte[] out = in.clone();
                    ByteBuffer.wrap(out).putInt(offset, HUGE[Math.floorMod(value, HUGE.length)]);
                    yield out;
                }
                case 4 -> { // delete a few bytes
                    int from = at % (n + 1);
                    int to = Math.min(n, from + 1 + Math.floorMod(value, 8));
                    byte[] out = Arrays.copyOf(in, n - (to - from));
                    System.arraycopy(in, to, out, from, n - to);
                    yield out;
                }
                case 5 -> insert(in, at % (n + 1), CSV_TOKENS.get(Math.floorMod(value, CSV_TOKENS.size())));
                default -> throw new IllegalStateException("kind " + kind);
            };
        }

        private static byte[] insert(byte[] in, int at, byte[] what) {
            byte[] out = new byte[in.length + what.length];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(what, 0, out, at, what.length);
            System.arraycopy(in, at, out, at + what.length, in.length - at);
            return out;
        }

        @Override
        public String toString() {
            return "Mutation[kind=" + kind + ", at=" + at + ", value=" + value + ", inserted="
                    + Arrays.toString(inserted) + "]";
        }
    }

    /**
     * A seed, mutations applied before optional gzip compression (so headers stay readable behind
     * gzip), then mutations of the bytes as stored.
     */
    record Input(byte[] seed, List<Mutation> before, boolean gzip, List<Mutation> after) {
        byte[] bytes() {
            byte[] b = seed;
            for (Mutation m : before) {
                b = m.apply(b);
            }
            if (gzip) {
                b = Fixtures.gzip(b);
            }
            for (Mutation m : after) {
                b = m.apply(b);
            }
            return b;
        }

        /** The same input without its mutations: a valid file, plain or gzip. */
        Input unmutated() {
            return new Input(seed, List.of(), gzip, List.of());
        }

        @Override
        public String toString() {
            return "Input[seed=" + seed.length + " bytes " + Arrays.toString(Arrays.copyOf(seed, Math.min(32, seed.length)))
                    + ", before=" + before + ", gzip=" + gzip + ", after=" + after + "]";
        }
    }

    @Property(tries = 500)
    void idxReaderReturnsOrThrowsDataException(@ForAll("idxInputs") Input input) throws IOException {
        byte[] bytes = input.bytes();
        Path file = Files.write(dir.resolve("fuzz.idx"), bytes);
        long budget = budget(bytes);
        check("stream", budget, () -> IdxReader.read(new ByteArrayInputStream(bytes), "fuzz"));
        check("file", budget, () -> IdxReader.read(file));
    }

    @Property(tries = 300)
    void csvReaderReturnsOrThrowsDataException(@ForAll("csvInputs") Input input, @ForAll("classes") int classes)
            throws IOException {
        byte[] bytes = input.bytes();
        Path file = Files.write(dir.resolve("fuzz.csv"), bytes);
        check("csv", budget(bytes), () -> {
            CsvDataset csv = CsvDataset.read(file, classes);
            return classes <= 256 ? csv.asImages(1, csv.width()) : csv;
        });
    }

    @Property(tries = 200)
    void imageDatasetLoadReturnsOrThrowsDataException(@ForAll("pairs") Tuple2<Input, Input> pair,
            @ForAll boolean mutateImages) throws IOException {
        // One file of the pair stays valid, so most tries get past the other file's checks.
        byte[] imageBytes = (mutateImages ? pair.get1() : pair.get1().unmutated()).bytes();
        byte[] labelBytes = (mutateImages ? pair.get2().unmutated() : pair.get2()).bytes();
        Path imageFile = Files.write(dir.resolve("fuzz-images"), imageBytes);
        Path labelFile = Files.write(dir.resolve("fuzz-labels"), labelBytes);
        check("pair", budget(imageBytes) + budget(labelBytes), () -> ImageDataset.load(imageFile, labelFile, 10));
    }

    @FunctionalInterface
    interface Reader {
        Object read() throws IOException;
    }

    /**
     * Runs {@code reader} once: a result or a DataException naming the input, within {@code budget}
     * bytes. The outcomes are reported as statistics, to show the mutations reach past the checks.
     */
    private static void check(String what, long budget, Reader reader) throws IOException {
        long before = Fixtures.allocatedBytes();
        try {
            reader.read();
            Statistics.label(what).collect("result");
        } catch (DataException e) {
            Statistics.label(what).collect("DataException");
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "DataException without a message");
            assertTrue(e.getMessage().lines().count() == 1, () -> "not one line: " + e.getMessage());
        } catch (RuntimeException | IOException e) {
            fail("expected a result or a DataException, got " + e, e);
        } catch (OutOfMemoryError e) {
            fail("out of memory: allocation follows a header, not the data", e);
        }
        long allocated = Fixtures.allocatedBytes() - before;
        assertTrue(allocated <= budget, () -> "allocated " + allocated + " bytes, more than the " + budget + " allowed");
    }

    /** What an input of these bytes may cost: gzip counts with its inflated size, as the data it really holds. */
    private static long budget(byte[] bytes) {
        return CONSTANT_ALLOWANCE + PER_BYTE_ALLOWANCE * Math.max(bytes.length, inflatedLength(bytes));
    }

    /** How many bytes a (possibly corrupt) gzip stream inflates to before it ends or fails; 0 if not gzip. */
    private static long inflatedLength(byte[] bytes) {
        if (!Streams.isGzip(bytes)) {
            return 0;
        }
        long total = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // counted up to the corruption
        }
        return total;
    }

    @Provide
    Arbitrary<Integer> classes() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(1)), Tuple.of(4, Arbitraries.of(2, 10, 256)),
                Tuple.of(1, Arbitraries.just(1000)));
    }

    @Provide
    Arbitrary<Input> idxInputs() {
        Arbitrary<byte[]> valid = Arbitraries.integers().between(1, 5).array(int[].class).ofMinSize(1).ofMaxSize(4)
                .flatMap(dims -> Arbitraries.bytes().array(byte[].class)
                        .ofSize(Arrays.stream(dims).reduce(1, (a, b) -> a * b))
                        .map(data -> Fixtures.ubyte(dims, data)));
        return inputs(Arbitraries.frequencyOf(Tuple.of(4, valid), Tuple.of(1, randomBytes())), Arbitraries.of(true, false));
    }

    /** An images file and a labels file of the same count, each to be mutated or not. */
    @Provide
    Arbitrary<Tuple2<Input, Input>> pairs() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofSize(3).flatMap(dims -> {
            byte[] images = Fixtures.ubyte(dims, Fixtures.counting(dims[0] * dims[1] * dims[2]));
            Arbitrary<byte[]> labels = Arbitraries.bytes().between((byte) 0, (byte) 9).array(byte[].class)
                    .ofSize(dims[0]).map(data -> Fixtures.ubyte(new int[] {dims[0]}, data));
            return Combinators.combine(inputs(Arbitraries.just(images), Arbitraries.of(true, false)),
                    inputs(labels, Arbitraries.of(true, false))).as(Tuple::of);
        });
    }

    @Provide
    Arbitrary<Input> csvInputs() {
        Arbitrary<String> cell = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between(0, 255).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("0", "255", "12.5", " 7 ", "1e2")));
        Arbitrary<byte[]> valid = Combinators.combine(
                        Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.of(true, false),
                        Arbitraries.of("\n", "\r\n"),
                        Arbitraries.integers().between(0, 1).list().ofSize(6),
                        cell.list().ofSize(36))
                .as((width, rows, header, newline, labels, cells) -> {
                    StringBuilder text = new StringBuilder(header ? "\uFEFFlabel" + ",p".repeat(width) + newline : "");
                    for (int r = 0; r < rows; r++) {
                        text.append(labels.get(r));
                        for (int c = 0; c < width; c++) {
                            text.append(',').append(cells.get(r * width + c));
                        }
                        text.append(newline);
                    }
                    return text.toString().getBytes(StandardCharsets.UTF_8);
                });
        return inputs(Arbitraries.frequencyOf(Tuple.of(4, valid), Tuple.of(1, randomBytes())),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(9, false)));
    }

    private static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    /** Seeds with up to two mutations of their content and, less often, one of the bytes as stored. */
    private static Arbitrary<Input> inputs(Arbitrary<byte[]> seeds, Arbitrary<Boolean> gzip) {
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.integers(),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(Mutation::new);
        Arbitrary<List<Mutation>> stored = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.<Mutation>of())), Tuple.of(1, mutation.list().ofSize(1)));
        return Combinators.combine(seeds, mutation.list().ofMaxSize(2), gzip, stored).as(Input::new);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
