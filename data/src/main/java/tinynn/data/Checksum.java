package tinynn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * An expected digest of one data file, and which bytes it covers.
 *
 * <p>Digests of the {@linkplain Form#UNCOMPRESSED uncompressed} file are preferred: they hold
 * whatever a source serves (gzip from a mirror, plain files from an npm tarball) and they can
 * re-verify the cache. Some data sets only publish a digest of their {@linkplain Form#GZIP .gz}
 * files; that digest can only check a download that arrives as exactly that .gz.
 *
 * @param algorithm a {@link MessageDigest} name such as {@code SHA-256} or {@code MD5}
 * @param hex the expected digest, lower-case hex
 */
public record Checksum(String algorithm, Form form, String hex) {

    public enum Form {
        UNCOMPRESSED,
        GZIP,
        /** The digest of the whole archive the file is extracted from (CIFAR-10 publishes only that). */
        ARCHIVE
    }

    public Checksum {
        Objects.requireNonNull(form, "form");
        hex = hex.toLowerCase(Locale.ROOT);
        int length = newDigest(algorithm).getDigestLength();
        if (hex.length() != 2 * length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(algorithm + " digest must be " + 2 * length + " hex digits: " + hex);
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", Form.UNCOMPRESSED, hex);
    }

    public static Checksum md5OfGzip(String hex) {
        return new Checksum("MD5", Form.GZIP, hex);
    }

    /** A digest of the archive the file comes packed in; it can only check a file extracted from exactly that archive. */
    public static Checksum md5OfArchive(String hex) {
        return new Checksum("MD5", Form.ARCHIVE, hex);
    }

    /** How messages refer to this check, e.g. {@code SHA-256}, {@code MD5 of the .gz} or {@code MD5 of the archive}. */
    public String label() {
        return switch (form) {
            case UNCOMPRESSED -> algorithm;
            case GZIP -> algorithm + " of the .gz";
            case ARCHIVE -> algorithm + " of the archive";
        };
    }

    public boolean matches(byte[] bytes) {
        return hex.equals(hexDigest(algorithm, bytes));
    }

    static String hexDigest(String algorithm, byte[] bytes) {
        return HexFormat.of().formatHex(newDigest(algorithm).digest(bytes));
    }

    /** Streams the file, so re-verifying a cached 47 MB file does not need it in memory. */
    static String hexDigest(String algorithm, Path file) throws IOException {
        MessageDigest digest = newDigest(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
        }
    }
}
