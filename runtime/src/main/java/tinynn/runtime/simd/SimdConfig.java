package tinynn.runtime.simd;

/**
 * How a {@link SimdBackend} runs: an immutable value given to its constructor, in place of JVM-wide system
 * properties and static switches, so that two backends in one JVM (or two tests) can differ.
 *
 * @param threads    threads a kernel may use, the calling thread included
 * @param spinMicros how long an idle worker spins before parking: long enough to bridge the gaps between kernels of
 *                   a training step without a park/unpark round trip (10-250 microseconds, the most in VMs), short
 *                   enough not to burn a core for long
 * @param gemm       GEMM blocking, size thresholds and packing
 * @param vectorExp  whether softmax exponentials run as SIMD code. A native image has no SIMD EXP, and its Java
 *                   fallback would box every vector of the method it sits in (see the package doc), so there they are
 *                   scalar
 */
public record SimdConfig(int threads, long spinMicros, GemmConfig gemm, boolean vectorExp) {

    /** True when running as a GraalVM native image, where gathers and vector EXP would run boxed. */
    static final boolean NATIVE_IMAGE = "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));

    public SimdConfig {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        if (spinMicros < 0) throw new IllegalArgumentException("spinMicros must be >= 0: " + spinMicros);
        if (gemm == null) throw new NullPointerException("gemm");
    }

    /** One thread per available processor, 200 microseconds of spinning, the default GEMM blocking. */
    public static SimdConfig defaults() {
        return new SimdConfig(Runtime.getRuntime().availableProcessors(), 200, GemmConfig.DEFAULT, !NATIVE_IMAGE);
    }

    public SimdConfig withThreads(int threads) {
        return new SimdConfig(threads, spinMicros, gemm, vectorExp);
    }

    public SimdConfig withSpinMicros(long spinMicros) {
        return new SimdConfig(threads, spinMicros, gemm, vectorExp);
    }

    public SimdConfig withGemm(GemmConfig gemm) {
        return new SimdConfig(threads, spinMicros, gemm, vectorExp);
    }

    public SimdConfig withVectorExp(boolean vectorExp) {
        return new SimdConfig(threads, spinMicros, gemm, vectorExp);
    }
}
