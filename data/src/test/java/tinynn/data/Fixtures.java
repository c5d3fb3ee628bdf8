package tinynn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builders for the binary fixtures the tests write into temporary directories. */
final class Fixtures {
    private Fixtures() {}

    /** An IDX file with an arbitrary type code and dimensions, followed by {@code payload}. */
    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        buf.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            buf.putInt(d);
        }
        return buf.put(payload).array();
    }

    /** A well-formed unsigned-byte IDX file. */
    static byte[] ubyte(int[] dims, byte[] payload) {
        return idx(0x08, dims, payload);
    }

    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return b;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A gzip-compressed tar archive (what {@code npm pack} writes). */
    static byte[] tgz(Map<String, byte[]> entries) {
        return gzip(tar(entries, false));
    }

    /**
     * A ustar archive; with {@code paxNames} every entry is preceded by a pax header carrying its
     * path while the ustar name field holds a dummy, as tar tools do for long names.
     */
    static byte[] tar(Map<String, byte[]> entries, boolean paxNames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeEntry(out, "package/", '5', new byte[0]);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (paxNames) {
                writeEntry(out, "PaxHeader/x", 'x', paxRecord("path", e.getKey()));
                writeEntry(out, "truncated-name", '0', e.getValue());
            } else {
                writeEntry(out, e.getKey(), '0', e.getValue());
            }
        }
        out.writeBytes(new byte[1024]); // end-of-archive marker
        return out.toByteArray();
    }

    private static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int length = body.length();
        while (Integer.toString(length).length() + body.length() != length) {
            length = Integer.toString(length).length() + body.length();
        }
        return (length + body).getBytes(StandardCharsets.UTF_8);
    }

    static void writeEntry(ByteArrayOutputStream out, String name, char type, byte[] content) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", content.length));
        put(h, 136, String.format("%011o", 1_700_000_000L));
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] h, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
    }

    /** Bytes allocated by the current thread so far (HotSpot), to prove readers do not trust headers. */
    static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getCurrentThreadAllocatedBytes();
    }
}
