package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store alone, without any source: it keeps exactly the content that matches its spec. */
class VerifiedStoreTest {
    private static final byte[] CONTENT = Fixtures.ubyte(new int[] {2, 2}, new byte[] {1, 2, 3, 4});
    private static final FileSpec FILE = new FileSpec("t10k-labels-idx1-ubyte", CONTENT.length,
            Checksum.sha256(Checksum.hexDigest("SHA-256", CONTENT)));

    @TempDir Path dir;
    private final List<String> progress = new ArrayList<>();

    private VerifiedStore store() {
        DatasetSpec spec = new DatasetSpec("tiny", 10, List.of(FILE), List.of(), null);
        return new VerifiedStore(spec, dir, progress::add);
    }

    @Test void wrongContentIsRejectedAndNothingIsWritten() throws IOException {
        byte[] other = CONTENT.clone();
        other[other.length - 1] ^= 1;
        String problem = store().offer(FILE, other, "test");
        assertTrue(problem.startsWith("SHA-256 mismatch"), problem);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "a rejected offer leaves the directory untouched");
        }
        assertEquals("", VerifiedStore.problem(dir, FILE), "still missing");
    }

    @Test void verifiedGzipIsStoredUncompressedWithItsDigestAndStaysVerified() throws IOException {
        assertNull(store().offer(FILE, Fixtures.gzip(CONTENT), "mirror"));
        assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve(FILE.name())));
        assertTrue(Files.readString(dir.resolve(FILE.name() + ".sha256")).endsWith("  " + FILE.name() + "\n"));
        assertNull(VerifiedStore.problem(dir, FILE));
        assertEquals(List.of("tiny: stored " + FILE.name() + " (" + CONTENT.length + " bytes, SHA-256 verified) from mirror"), progress);

        Files.write(dir.resolve(FILE.name()), new byte[CONTENT.length]); // damaged in place, same size
        String problem = VerifiedStore.problem(dir, FILE);
        assertTrue(problem != null && problem.contains("fails SHA-256"), problem);
    }

    @Test void aFileTooLargeToBeTheOneWantedIsRefusedUnread() throws IOException {
        Path huge = dir.resolve("huge.gz");
        Files.write(huge, new byte[VerifiedStore.maxTransferBytes(FILE) + 1]);
        String problem = store().offer(FILE, huge);
        assertEquals((VerifiedStore.maxTransferBytes(FILE) + 1) + " bytes, too large to be " + FILE.name(), problem);
        assertFalse(Files.exists(dir.resolve(FILE.name())));
    }

    @Test void aFileVouchedForOnlyByItsArchiveNeedsThatArchivesDigest() throws IOException {
        String md5 = "c32a1d4ab5d03f1284b67883e8d87530";
        FileSpec batch = new FileSpec("test_batch.bin", CONTENT.length, Checksum.md5OfArchive(md5));
        DatasetSpec spec = new DatasetSpec("tiny", 10, List.of(batch), List.of(), null);
        VerifiedStore store = new VerifiedStore(spec, dir, progress::add);

        String other = store.offer(batch, CONTENT, "elsewhere", new Checksum("MD5", Checksum.Form.ARCHIVE, "0".repeat(32)));
        assertEquals("MD5 of the archive mismatch: expected " + md5 + " but got " + "0".repeat(32)
                + " (corrupted, or a different version of the file)", other);
        String plain = store.offer(batch, CONTENT, "plain copy");
        assertTrue(plain.startsWith("cannot verify: only the MD5 of the archive is known"), plain);
        assertFalse(Files.exists(dir.resolve(batch.name())));

        assertNull(store.offer(batch, CONTENT, "archive", new Checksum("MD5", Checksum.Form.ARCHIVE, md5)));
        assertNull(VerifiedStore.problem(dir, batch), "the recorded SHA-256 re-verifies it");
    }
}
