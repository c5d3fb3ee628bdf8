package tinynn.serialization;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) of a byte range, as {@link CRC32C} computes it, fast in the native binary too.
 *
 * <p>On HotSpot {@link CRC32C} is an intrinsic (the {@code crc32} instruction) and is used as is. SubstrateVM has no
 * such intrinsic and compiles the JDK's table loop, whose every 8-byte step waits for the previous one (~1.4 GB/s:
 * 3 ms of a native {@code predict} of a 4.3 MB model; docs/native.md, "Start-up"). Natively the range is cut into
 * {@link #STREAMS} equal parts whose CRCs are computed in one interleaved loop (independent chains the CPU overlaps)
 * and then joined exactly: the CRC register is linear, so the register after {@code A‖B} is the register after
 * {@code A} shifted over {@code |B|} zero bytes ({@code ·x^(8|B|) mod P}) xor the register of {@code B} from zero
 * (zlib's {@code crc32_combine}).
 *
 * <p>Initialized when the native image is built ({@code cli}'s native-image.properties): the tables and the
 * {@link VarHandle} are constants in the image, so the loop's loads compile to plain loads.
 */
public final class Crc32c {

    /** The reflected Castagnoli polynomial. */
    private static final int POLY = 0x82F63B78;
    /** Independent CRC chains of the native loop. */
    static final int STREAMS = 4;
    /** Below this many bytes one chain is used (splitting costs four shifts of the register). */
    static final int MIN_SPLIT = 1 << 12;

    /** Slicing-by-8 tables, table k at [256k, 256k + 256): byte b followed by k zero bytes. */
    private static final int[] T = tables();
    /** x^(2^k) mod P, k = 0..31, for shifting a register over n zero bytes in O(log n). */
    private static final int[] X2N = x2nTable();
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Crc32c() {}

    /** The CRC-32C of {@code data[offset, offset + length)}, the value {@link CRC32C#getValue()} gives as an int. */
    public static int of(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (!inNativeImage()) {
            CRC32C crc = new CRC32C();
            crc.update(data, offset, length);
            return (int) crc.getValue();
        }
        return interleaved(data, offset, length);
    }

    /** True in a native image at run time (the property SubstrateVM sets), where {@link CRC32C} is slow. */
    private static boolean inNativeImage() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }

    /** The table-driven CRC with {@link #STREAMS} chains; the same value as {@link CRC32C} for every range. */
    static int interleaved(byte[] data, int offset, int length) {
        int reg;
        int pos = offset;
        if (length < MIN_SPLIT) {
            reg = longs(~0, data, pos, length >>> 3);
            pos += length & ~7;
        } else {
            int part = (length / (8 * STREAMS)) * 8; // bytes per chain, whole 8-byte words
            int words = part >>> 3;
            int p0 = pos, p1 = pos + part, p2 = pos + 2 * part, p3 = pos + 3 * part;
            int c0 = ~0, c1 = 0, c2 = 0, c3 = 0;
            int[] t = T;
            for (int w = 0; w < words; w++) {
                int o = w << 3;
                long v0 = (long) LONG_LE.get(data, p0 + o) ^ (c0 & 0xFFFFFFFFL);
                long v1 = (long) LONG_LE.get(data, p1 + o) ^ (c1 & 0xFFFFFFFFL);
                long v2 = (long) LONG_LE.get(data, p2 + o) ^ (c2 & 0xFFFFFFFFL);
                long v3 = (long) LONG_LE.get(data, p3 + o) ^ (c3 & 0xFFFFFFFFL);
                c0 = step(t, v0);
                c1 = step(t, v1);
                c2 = step(t, v2);
                c3 = step(t, v3);
            }
            int shift = shiftOperator(part);
            reg = multModP(shift, c0) ^ c1;
            reg = multModP(shift, reg) ^ c2;
            reg = multModP(shift, reg) ^ c3;
            pos += STREAMS * part;
        }
        reg = bytes(reg, data, pos, offset + length - pos);
        return ~reg;
    }

    /** The register after 8 bytes {@code v} (already xored with the register), slicing-by-8. */
    private static int step(int[] t, long v) {
        return t[7 * 256 + (int) (v & 0xFF)] ^ t[6 * 256 + (int) ((v >>> 8) & 0xFF)]
                ^ t[5 * 256 + (int) ((v >>> 16) & 0xFF)] ^ t[4 * 256 + (int) ((v >>> 24) & 0xFF)]
                ^ t[3 * 256 + (int) ((v >>> 32) & 0xFF)] ^ t[2 * 256 + (int) ((v >>> 40) & 0xFF)]
                ^ t[256 + (int) ((v >>> 48) & 0xFF)] ^ t[(int) (v >>> 56)];
    }

    private static int longs(int reg, byte[] data, int pos, int words) {
        int[] t = T;
        for (int w = 0; w < words; w++) {
            reg = step(t, (long) LONG_LE.get(data, pos + (w << 3)) ^ (reg & 0xFFFFFFFFL));
        }
        return reg;
    }

    private static int bytes(int reg, byte[] data, int pos, int n) {
        for (int i = 0; i < n; i++) {
            reg = (reg >>> 8) ^ T[(reg ^ data[pos + i]) & 0xFF];
        }
        return reg;
    }

    /** x^(8n) mod P: multiplying a register by it shifts the register over n zero bytes. */
    private static int shiftOperator(int n) {
        int p = 1 << 31; // x^0
        int k = 3;       // 8n = n·2^3
        for (long m = n; m != 0; m >>>= 1, k++) {
            if ((m & 1) != 0) p = multModP(X2N[k & 31], p);
        }
        return p;
    }

    /** a·b mod P in the reflected bit order (bit 31 is x^0). */
    private static int multModP(int a, int b) {
        int p = 0;
        for (int m = 1 << 31; m != 0; m >>>= 1) {
            if ((a & m) != 0) p ^= b;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return p;
    }

    private static int[] tables() {
        int[] t = new int[8 * 256];
        for (int b = 0; b < 256; b++) {
            int c = b;
            for (int i = 0; i < 8; i++) c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            t[b] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                int prev = t[(k - 1) * 256 + b];
                t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xFF];
            }
        }
        return t;
    }

    private static int[] x2nTable() {
        int[] x = new int[32];
        int p = 1 << 30; // x^1
        x[0] = p;
        for (int k = 1; k < 32; k++) x[k] = p = multModP(p, p);
        return x;
    }
}
