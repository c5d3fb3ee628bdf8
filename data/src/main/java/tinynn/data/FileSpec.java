package tinynn.data;

import java.util.List;

/**
 * One file of a data set as stored in the cache: its standard name, its exact uncompressed size,
 * and the digests it must match. The size doubles as a download cap, so a misbehaving source
 * cannot make the fetcher buffer more than the file can legitimately be.
 */
public record FileSpec(String name, long size, List<Checksum> checksums) {

    public FileSpec {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("file name must be a plain name: '" + name + "'");
        }
        if (size <= 0 || size > IdxReader.MAX_ELEMENTS) {
            throw new IllegalArgumentException(name + ": size must be 1.." + IdxReader.MAX_ELEMENTS + ": " + size);
        }
        checksums = List.copyOf(checksums);
        if (checksums.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one checksum is required; unverified data is not cached");
        }
    }

    public FileSpec(String name, long size, Checksum... checksums) {
        this(name, size, List.of(checksums));
    }

    /** Whether a cached (uncompressed) copy can be checked against this spec alone. */
    public boolean hasUncompressedChecksum() {
        return checksums.stream().anyMatch(c -> c.form() == Checksum.Form.UNCOMPRESSED);
    }
}
