package tinynn.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The cache directory of one data set, which holds only verified files. A {@link Source} offers it content
 * (gzip or plain) from anywhere; the content is accepted only after its size and digests match the
 * {@link FileSpec} (see {@link Checksum}), and is then written atomically ({@link AtomicFiles}), uncompressed
 * under its standard name, next to a {@code <name>.sha256} file ({@code sha256sum -c} format) that lets later
 * runs re-verify files whose spec has no uncompressed digest.
 */
final class VerifiedStore {
    private final DatasetSpec spec;
    private final Path dir;
    private final Consumer<String> progress;

    VerifiedStore(DatasetSpec spec, Path dir, Consumer<String> progress) {
        this.spec = spec;
        this.dir = dir;
        this.progress = progress;
    }

    Path dir() {
        return dir;
    }

    /** Reports one step, prefixed with the data set's name. */
    void report(String line) {
        progress.accept(spec.name() + ": " + line);
    }

    /**
     * Offers the file at {@code source} (gzip or plain), refusing without reading it a file too large to be
     * {@code file}.
     *
     * @return {@code null} if stored, else why the content was rejected
     */
    String offer(FileSpec file, Path source) throws IOException {
        long size = Files.size(source);
        return size > maxTransferBytes(file)
                ? size + " bytes, too large to be " + file.name()
                : offer(file, Files.readAllBytes(source), source.toString());
    }

    /**
     * Checks {@code body} (gzip or plain) against the spec and stores it on success.
     *
     * @param origin where the content came from, for the progress line
     * @return {@code null} if stored, else why the content was rejected
     * @throws DataException if the verified file cannot be written: another source cannot fix that
     */
    String offer(FileSpec file, byte[] body, String origin) {
        return offer(file, body, origin, null);
    }

    /**
     * As {@link #offer(FileSpec, byte[], String)} for a file extracted from an archive.
     *
     * @param archive the digest the source computed over the whole archive ({@link Checksum.Form#ARCHIVE}), checked
     *     here against the file's archive checksums; {@code null} when the content does not come from an archive
     */
    String offer(FileSpec file, byte[] body, String origin, Checksum archive) {
        byte[] gzip = null;
        byte[] raw = body;
        if (Streams.isGzip(body)) {
            gzip = body;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                raw = Streams.readUpTo(in, (int) file.size() + 1);
            } catch (IOException e) {
                return "corrupt gzip data (" + FetchAttempts.describe(e) + ")";
            }
        }
        if (raw.length != file.size()) {
            return "wrong size: " + (raw.length > file.size() ? "more than " + file.size() : raw.length)
                    + " bytes uncompressed, expected " + file.size();
        }
        List<String> passed = new ArrayList<>();
        for (Checksum checksum : file.checksums()) {
            String actual;
            if (checksum.form() == Checksum.Form.ARCHIVE) {
                if (archive == null || !archive.algorithm().equals(checksum.algorithm())) {
                    continue;
                }
                actual = archive.hex();
            } else {
                byte[] covered = checksum.form() == Checksum.Form.GZIP ? gzip : raw;
                if (covered == null) {
                    continue;
                }
                actual = Checksum.hexDigest(checksum.algorithm(), covered);
            }
            if (!actual.equals(checksum.hex())) {
                return checksum.label() + " mismatch: expected " + checksum.hex() + " but got " + actual
                        + " (corrupted, or a different version of the file)";
            }
            passed.add(checksum.label());
        }
        if (passed.isEmpty()) {
            return "cannot verify: only the " + file.checksums().stream().map(Checksum::label)
                    .collect(Collectors.joining(", ")) + " is known and this source serves uncompressed data";
        }
        String sha256 = Checksum.hexDigest("SHA-256", raw);
        try {
            AtomicFiles.write(dir.resolve(file.name()), raw);
            AtomicFiles.write(sidecar(dir, file), (sha256 + "  " + file.name() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // Another source cannot fix a full disk or a read-only directory.
            throw new DataException("cannot write " + dir.resolve(file.name()) + " (" + FetchAttempts.describe(e)
                    + "); check free space and permissions, or pass another directory");
        }
        report("stored " + file.name() + " (" + raw.length + " bytes, " + String.join(" + ", passed)
                + " verified) from " + origin);
        return null;
    }

    /**
     * @return {@code null} if the cached file is verified, {@code ""} if it is absent, else the
     *     problem (which means it will be fetched again)
     */
    static String problem(Path dir, FileSpec file) {
        Path path = dir.resolve(file.name());
        if (!Files.isRegularFile(path)) {
            return "";
        }
        try {
            long size = Files.size(path);
            if (size != file.size()) {
                return path + " has " + size + " bytes, expected " + file.size();
            }
            List<Checksum> checks = file.checksums().stream()
                    .filter(c -> c.form() == Checksum.Form.UNCOMPRESSED).toList();
            if (checks.isEmpty()) {
                String recorded = recordedSha256(dir, file);
                if (recorded == null) {
                    return path + " cannot be re-verified: no " + sidecar(dir, file).getFileName()
                            + " recorded when it was fetched";
                }
                checks = List.of(Checksum.sha256(recorded));
            }
            for (Checksum checksum : checks) {
                String actual = Checksum.hexDigest(checksum.algorithm(), path);
                if (!actual.equals(checksum.hex())) {
                    return path + " fails " + checksum.label() + " (expected " + checksum.hex() + ", got " + actual + ")";
                }
            }
            return null;
        } catch (IOException e) {
            return path + " cannot be read (" + FetchAttempts.describe(e) + ")";
        }
    }

    /** Room for gzip overhead on incompressible data; anything beyond cannot be the right file. */
    static int maxTransferBytes(FileSpec file) {
        return (int) Math.min(IdxReader.MAX_ELEMENTS - 1L, file.size() + file.size() / 64 + 65_536);
    }

    private static Path sidecar(Path dir, FileSpec file) {
        return dir.resolve(file.name() + ".sha256");
    }

    private static String recordedSha256(Path dir, FileSpec file) throws IOException {
        Path path = sidecar(dir, file);
        if (!Files.isRegularFile(path) || Files.size(path) > 1024) {
            return null;
        }
        String[] words = Files.readString(path, StandardCharsets.US_ASCII).trim().split("\\s+");
        String hex = words[0];
        return hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? hex : null;
    }
}
