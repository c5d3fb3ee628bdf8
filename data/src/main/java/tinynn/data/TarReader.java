package tinynn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Minimal sequential reader for (ustar / pax / GNU) tar streams, enough to pull plain files out
 * of an npm tarball without a dependency. Only regular files are surfaced; the long-name
 * extensions are honoured because npm writes pax headers for long paths.
 */
final class TarReader {
    private static final int BLOCK = 512;
    private static final int MAX_META = 1 << 20; // long names and pax headers are tiny; a lie is not

    /** A regular file entry; its content is read with {@link #readContent(int)} before the next call to next(). */
    record Entry(String name, long size) {}

    private final InputStream in;
    private long remaining; // unread content bytes of the current entry
    private long padding; // zero fill after the current entry up to the block boundary

    TarReader(InputStream in) {
        this.in = in;
    }

    /**
     * Offers the {@code missing} files found in a gzipped tar (under {@code prefix}) to the store, removing each one it
     * stores from {@code missing}; entries too large, rejected by the store, or absent go to {@code failures}.
     *
     * @param archive the digest over the whole archive when the store vouches for files by it, else {@code null}
     * @param container what the tar is, for the "not in the ..." failure ("archive", "package")
     */
    static void offerWanted(InputStream gzippedTar, String prefix, List<FileSpec> missing, VerifiedStore store,
            FetchAttempts failures, String label, Checksum archive, String container) throws IOException {
        Map<String, FileSpec> wanted = new LinkedHashMap<>();
        for (FileSpec file : missing) {
            wanted.put(prefix + file.name(), file);
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(gzippedTar, 1 << 16), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (Entry entry; !wanted.isEmpty() && (entry = tar.next()) != null; ) {
                FileSpec file = wanted.remove(entry.name());
                if (file == null) {
                    continue;
                }
                int max = VerifiedStore.maxTransferBytes(file);
                if (entry.size() > max) {
                    failures.add(label, entry.name(), entry.size() + " bytes, expected " + file.size());
                    continue;
                }
                String problem = store.offer(file, tar.readContent(max), label, archive);
                if (problem == null) {
                    missing.remove(file);
                } else {
                    store.report("rejected " + entry.name() + " from " + label + ": " + problem);
                    failures.add(label, entry.name(), problem);
                }
            }
        }
        for (String path : wanted.keySet()) {
            failures.add(label, path, "not in the " + container);
        }
    }

    /** The next regular file, or {@code null} at the end of the archive. */
    Entry next() throws IOException {
        String longName = null;
        while (true) {
            skipFully(remaining + padding);
            remaining = 0;
            padding = 0;
            byte[] header = in.readNBytes(BLOCK);
            if (header.length == 0 || isZero(header)) {
                return null; // end-of-archive marker (or a stream cut at a block boundary)
            }
            if (header.length < BLOCK) {
                throw new IOException("tar archive truncated inside a header");
            }
            verifyChecksum(header);
            char type = (char) header[156];
            long size = parseNumber(header, 124, 12);
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            switch (type) {
                case 'x' -> { // pax extended header: may carry the real path of the next entry
                    String path = paxPath(readContent(MAX_META));
                    if (path != null) {
                        longName = path;
                    }
                }
                case 'L' -> longName = trimNul(new String(readContent(MAX_META), StandardCharsets.UTF_8));
                case '0', '\0', '7' -> {
                    String name = longName != null ? longName : headerName(header);
                    return new Entry(name, size);
                }
                default -> longName = null; // directories, links, global pax headers: not needed
            }
        }
    }

    /** The current entry's content; fails if it is longer than {@code limit}. */
    byte[] readContent(int limit) throws IOException {
        if (remaining > limit) {
            throw new IOException("tar entry of " + remaining + " bytes exceeds the expected " + limit);
        }
        byte[] content = in.readNBytes((int) remaining);
        if (content.length < remaining) {
            throw new EOFException("tar archive truncated inside an entry");
        }
        remaining = 0;
        return content;
    }

    private static String headerName(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = field(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Pax records are "LEN key=value\n"; only "path" matters here. */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static long parseNumber(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) { // GNU base-256 for sizes >= 8 GiB
            long value = header[offset] & 0x7F;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (header[offset + i] & 0xFF);
            }
            return value;
        }
        String text = field(header, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive (bad number field '" + text + "')");
        }
    }

    private static void verifyChecksum(byte[] header) throws IOException {
        long expected = parseNumber(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xFF;
        }
        if (sum != expected) {
            throw new IOException("not a tar archive (header checksum mismatch)");
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive truncated inside an entry");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }
}
