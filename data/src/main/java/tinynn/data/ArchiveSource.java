package tinynn.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one archive of a {@link DatasetArchive} data set: put in the cache directory by hand, else downloaded.
 * The archive's digest is checked before anything is extracted (a wrong archive costs no decompression); the
 * wanted entries are then offered to the store one at a time, together with that digest, which the store
 * checks against each file's own archive checksum.
 */
final class ArchiveSource implements Source {
    /** What the archive's bytes are read from: a file on disk or a download held in memory. */
    private interface Opener {
        InputStream open() throws IOException;
    }

    private final DatasetArchive archive;
    private final Downloader downloader;

    ArchiveSource(DatasetArchive archive, Downloader downloader) {
        this.archive = archive;
        this.downloader = downloader;
    }

    @Override
    public void fetch(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures) {
        Path local = store.dir().resolve(archive.fileName());
        if (Files.isRegularFile(local)) {
            String label = local.toString();
            try {
                if (Files.size(local) > archive.maxBytes()) {
                    failures.add(label, null, Files.size(local) + " bytes, too large to be " + archive.fileName());
                } else {
                    String actual = Checksum.hexDigest(archive.checksum().algorithm(), local);
                    if (extract(store, missing, failures, label, actual, () -> Files.newInputStream(local))) {
                        return; // a download would be this very archive again
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                failures.add(label, null, FetchAttempts.describe(e));
            }
        }
        String label = archive.url().toString();
        store.report("downloading " + label);
        byte[] body;
        try {
            body = downloader.download(archive.url(), archive.maxBytes());
        } catch (IOException | UncheckedIOException e) {
            store.report(failures.add(label, null, FetchAttempts.describe(e)));
            return;
        }
        String actual = Checksum.hexDigest(archive.checksum().algorithm(), body);
        try {
            extract(store, missing, failures, label, actual, () -> new ByteArrayInputStream(body));
        } catch (IOException | UncheckedIOException e) {
            failures.add(label, null, FetchAttempts.describe(e));
        }
    }

    /**
     * Checks the archive's digest, then offers every missing file found under the archive's path prefix.
     *
     * @return whether the digest matched (the archive is the published one, whatever its entries turned out to be)
     */
    private boolean extract(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures, String label,
            String actualHex, Opener opener) throws IOException {
        Checksum expected = archive.checksum();
        if (!expected.hex().equals(actualHex)) {
            String problem = expected.label() + " mismatch: expected " + expected.hex() + " but got " + actualHex
                    + " (corrupted, truncated, or a different version of " + archive.fileName() + ")";
            store.report("rejected " + label + ": " + problem);
            failures.add(label, null, problem);
            return false;
        }
        Checksum digest = new Checksum(expected.algorithm(), Checksum.Form.ARCHIVE, actualHex);
        TarReader.offerWanted(opener.open(), archive.pathPrefix(), missing, store, failures, label, digest, "archive");
        return true;
    }
}
