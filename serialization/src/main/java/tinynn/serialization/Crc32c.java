package tinynn.serialization;

import java.util.zip.CRC32C;

/**
 * The model file's checksum, CRC-32C (Castagnoli), of a byte range; a large range is checked as two halves on two
 * threads. A native image computes {@link CRC32C} with the JDK's table-driven Java loop (~1.4 GB/s here; HotSpot
 * replaces it by an intrinsic), which made the checksum the largest CPU item of a native {@code predict} from a
 * 4.3 MB model file (docs/native.md, "Start-up"). The halves combine exactly: CRC is linear over GF(2), so
 * crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B) (zlib's {@code crc32_combine}, here for the Castagnoli polynomial).
 */
final class Crc32c {
    /** Ranges from this size on are split (below it a thread costs more than half the checksum). */
    static final int PARALLEL_BYTES = 1 << 20;
    /** The Castagnoli polynomial, bit-reflected (as {@link CRC32C} uses it). */
    private static final int POLY = 0x82F63B78;
    /** X2N[k] = x^(2^k) mod P. */
    private static final int[] X2N = new int[32];

    static {
        int p = 1 << 30; // x^1
        X2N[0] = p;
        for (int k = 1; k < X2N.length; k++) X2N[k] = p = multModP(p, p);
    }

    private Crc32c() {}

    /** CRC-32C of {@code data[off, off + len)}, as {@link CRC32C#getValue()} gives it (low 32 bits). */
    static int of(byte[] data, int off, int len) {
        if (len < PARALLEL_BYTES || Runtime.getRuntime().availableProcessors() < 2) return serial(data, off, len);
        int half = len / 2;
        int[] first = new int[1];
        Thread t = new Thread(() -> first[0] = serial(data, off, half), "tinynn-crc32c");
        t.setDaemon(true);
        t.start();
        int second = serial(data, off + half, len - half);
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the half must finish either way; the caller sees the interrupt afterwards
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return combine(first[0], second, len - half);
    }

    static int serial(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        return (int) crc.getValue();
    }

    /** The CRC of A‖B from crc(A), crc(B) and B's length in bytes. */
    static int combine(int crcA, int crcB, long lengthB) {
        return multModP(xPow8n(lengthB), crcA) ^ crcB;
    }

    /** x^(8n) mod P. */
    private static int xPow8n(long n) {
        int p = 1 << 31; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) p = multModP(X2N[k & 31], p);
        }
        return p;
    }

    /** a·b mod P, both bit-reflected; {@code a} nonzero. */
    private static int multModP(int a, int b) {
        int m = 1 << 31, p = 0;
        while (true) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) break;
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return p;
    }
}
