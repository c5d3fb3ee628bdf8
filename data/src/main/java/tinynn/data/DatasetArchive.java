package tinynn.data;

import java.net.URI;
import java.util.Objects;

/**
 * A data set published as one tar archive (gzip-compressed or not) holding all its files, as CIFAR-10 is. The
 * fetcher takes the archive from the cache directory when it was put there by hand, else downloads it from
 * {@code url}; either way it is checked against {@code checksum} before any file is taken out of it.
 *
 * @param fileName the archive's own name, which is what a user downloading it by hand ends up with
 * @param url where the publisher serves it
 * @param pathPrefix the directory inside the archive that holds the files ({@code cifar-10-batches-bin/})
 * @param maxBytes a download larger than this cannot be the archive and is cut off
 * @param checksum the digest the publisher gives for the whole archive
 */
public record DatasetArchive(String fileName, URI url, String pathPrefix, int maxBytes, Checksum checksum) {

    public DatasetArchive {
        if (fileName.isEmpty() || fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("archive name must be a plain file name: '" + fileName + "'");
        }
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (maxBytes < 1) {
            throw new IllegalArgumentException(fileName + ": maxBytes must be positive: " + maxBytes);
        }
        if (checksum.form() != Checksum.Form.ARCHIVE) {
            throw new IllegalArgumentException(fileName + ": the checksum must cover the archive: " + checksum.label());
        }
    }
}
