package tinynn.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reading streams whose length is unknown without trusting any length a header claims. */
final class Streams {
    /** First allocation; small enough that a lying header costs nothing before the data runs out. */
    private static final int INITIAL_BUFFER = 1 << 16;

    private Streams() {}

    /**
     * Reads until end of stream or {@code limit} bytes, whichever comes first. The buffer doubles
     * as data actually arrives, so memory follows the real stream length, not the claimed one.
     */
    static byte[] readUpTo(InputStream in, int limit) throws IOException {
        byte[] buf = new byte[Math.min(limit, INITIAL_BUFFER)];
        int len = 0;
        while (len < limit) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, 2L * buf.length));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** True if two bytes at the current position are the gzip magic; the stream must support mark. */
    static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
    }
}
