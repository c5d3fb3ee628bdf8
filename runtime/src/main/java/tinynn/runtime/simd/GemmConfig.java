package tinynn.runtime.simd;

/**
 * The blocking and size thresholds of {@link GemmF64} and the float32 twin generated from it. The block sizes count
 * elements of either precision; {@code residentBBytes} is a budget in bytes, so that the same value suits both.
 *
 * @param kc                depth of a packed panel (the B micro-panel, KC x NR, should fit in L1)
 * @param mc                rows of a packed A block (MC x KC should fit in L2); rounded up to a multiple of MR
 * @param nc                columns of a packed B panel; rounded up to a multiple of NR
 * @param residentBBytes    up to this many bytes of packed B, all depth panels of a column block are packed up front
 *                          (L2-resident); 0 always streams B
 * @param smallMacs         below this many multiply-adds the unpacked path is used
 * @param parallelMacs      below this many multiply-adds a packed problem runs on the calling thread only
 * @param parallelSmallMacs the unpacked (few-rows) path splits its columns over threads from this many multiply-adds:
 *                          one image through a 784x400 layer (313,600) streams 1.25 MB of weights, which two cores read
 *                          from their own caches in half the time, well above the cost of waking a spinning worker
 * @param gather            whether packing may use vector gathers. A native image compiles them to a Java fallback that
 *                          allocates per vector, and one such call in a method also stops the vector code beside it from
 *                          being compiled to SIMD (measured there: packing and GEMM 10-100x slower, thousands of GCs per
 *                          epoch); so native images pack with scalar copies, and every gather and masked access sits in a
 *                          method of its own
 */
public record GemmConfig(int kc, int mc, int nc, long residentBBytes, long smallMacs, long parallelMacs,
                         long parallelSmallMacs, boolean gather) {

    /** The defaults the kernels were tuned with; gathers are off in a native image. */
    public static final GemmConfig DEFAULT = new GemmConfig(256, 240, 2048, 1536L * 1024, 16L * 16 * 16, 96L * 96 * 96,
            128L * 1024, !SimdConfig.NATIVE_IMAGE);

    public GemmConfig {
        if (kc < 1 || mc < 1 || nc < 1) throw new IllegalArgumentException("GEMM blocks must be >= 1: kc=" + kc + " mc=" + mc + " nc=" + nc);
        if (residentBBytes < 0) throw new IllegalArgumentException("GEMM residentBBytes must be >= 0: " + residentBBytes);
    }

    /** This blocking with packing by gathers switched on or off (tests cover the native image's scalar packing). */
    public GemmConfig withGather(boolean gather) {
        return new GemmConfig(kc, mc, nc, residentBBytes, smallMacs, parallelMacs, parallelSmallMacs, gather);
    }

    /** This blocking with other block sizes and resident-B budget (tests use tiny blocks to reach every edge). */
    public GemmConfig withBlocks(int kc, int mc, int nc, long residentBBytes) {
        return new GemmConfig(kc, mc, nc, residentBBytes, smallMacs, parallelMacs, parallelSmallMacs, gather);
    }
}
