package tinynn.runtime.simd;

/**
 * What the SIMD backend runs on: whether the incubating Vector API ({@code jdk.incubator.vector}) is usable in
 * this JVM, and the preferred vector shape and micro-kernel geometry. Safe to call when the module is missing
 * (then {@link #vectorApiAvailable()} is false and the kernels in this package must not be used).
 */
public final class SimdInfo {

    private static final boolean AVAILABLE;
    private static final String PROBLEM;

    static {
        boolean ok = false;
        String problem = null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            problem = "module jdk.incubator.vector not resolved (start the JVM with --add-modules=jdk.incubator.vector)";
        } else {
            try {
                ok = Probe.floatLanes() >= 2;
                if (!ok) problem = "preferred vector shape too small";
            } catch (Throwable t) {
                problem = t.toString();
            }
        }
        AVAILABLE = ok;
        PROBLEM = problem;
    }

    private SimdInfo() {
    }

    /** True if the Vector API can be used (module resolved and the preferred species has at least 2 lanes). */
    public static boolean vectorApiAvailable() {
        return AVAILABLE;
    }

    /** Why the Vector API is unavailable, or {@code null}. */
    public static String unavailableReason() {
        return PROBLEM;
    }

    /** Bit width of the preferred vector shape (e.g. 512 with AVX-512, 256 with AVX2), or 0 if unavailable. */
    public static int preferredBitSize() {
        return AVAILABLE ? Probe.bitSize() : 0;
    }

    /** Lanes of {@code FloatVector.SPECIES_PREFERRED}, or 1 if unavailable. */
    public static int floatLanes() {
        return AVAILABLE ? Probe.floatLanes() : 1;
    }

    /** Lanes of {@code DoubleVector.SPECIES_PREFERRED}, or 1 if unavailable. */
    public static int doubleLanes() {
        return AVAILABLE ? Probe.doubleLanes() : 1;
    }

    /** Number of available processors (the default {@link Parallelism} size). */
    public static int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A one-line, human-readable summary for the CLI. */
    public static String describe() {
        if (!AVAILABLE) return "SIMD: Vector API unavailable (" + PROBLEM + "); cpus=" + availableProcessors();
        return "SIMD: Vector API " + preferredBitSize() + "-bit, float x" + floatLanes() + ", double x" + doubleLanes()
                + "; GEMM micro-tile f32 " + GemmF32.MR + "x" + GemmF32.NR + ", f64 " + GemmF64.MR + "x" + GemmF64.NR
                + "; cpus=" + availableProcessors() + "; " + System.getProperty("os.arch") + ", Java "
                + Runtime.version();
    }

    /** Touches the Vector API only when the module is known to be present. */
    private static final class Probe {
        static int floatLanes() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }

        static int doubleLanes() {
            return jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        }

        static int bitSize() {
            // The species the kernels use, not the machine's preference: a native image fixes it at build time.
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
