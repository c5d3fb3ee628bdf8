package tinynn.runtime;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.simd.SimdBackend;
import tinynn.runtime.simd.SimdInfo;

/** Chooses a backend by name, as the CLI's --backend does. */
public final class Backends {
    private Backends() {}

    /** simd where the Vector API is available (it needs --add-modules=jdk.incubator.vector), else ojalgo. */
    public static final String DEFAULT = SimdInfo.vectorApiAvailable() ? "simd" : "ojalgo";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /**
     * The backend called {@code name}; close it when done. {@code threads} sizes the simd backend's own pool. ojalgo
     * has no per-backend thread count, only one for the whole JVM, which this leaves as it is: see
     * {@link #createAndSetOjalgoThreads}.
     */
    public static Backend create(String name, int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        return switch (name) {
            case "ojalgo" -> {
                // A forgotten JVM flag costs ~15x in speed and nothing else shows it: say so, once per JVM.
                String warning = fallbackWarning(SimdInfo.vectorApiAvailable(), SimdInfo.unavailableReason());
                if (warning != null) warnOnce(warning, System.err);
                yield new OjalgoBackend();
            }
            case "simd" -> new SimdBackend(threads);
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; use ojalgo or simd");
        };
    }

    /**
     * As {@link #create}, and for ojalgo also sets ojalgo's thread count for the whole JVM to {@code threads}
     * ({@link OjalgoBackend#setJvmThreads}): for programs that own their JVM, such as the CLI and the benchmarks.
     */
    public static Backend createAndSetOjalgoThreads(String name, int threads) {
        Backend backend = create(name, threads);
        if (backend instanceof OjalgoBackend) OjalgoBackend.setJvmThreads(threads);
        return backend;
    }

    /** The default backend on all processors; ojalgo's JVM-wide setting is left as it is. Close it when done. */
    public static Backend createDefault() { return create(DEFAULT, Runtime.getRuntime().availableProcessors()); }

    /**
     * The line to print when tinynn runs on ojalgo because the Vector API is unusable, or null when it is usable
     * (then ojalgo was asked for by name).
     */
    static String fallbackWarning(boolean vectorApiAvailable, String reason) {
        if (vectorApiAvailable) return null;
        String cause = reason != null && reason.contains("not resolved")
                ? "add --add-modules jdk.incubator.vector to the java command line (or to surefire's argLine / the exec plugin's arguments)"
                : "the Vector API is unusable here: " + reason;
        return "tinynn: WARNING: the simd backend is unavailable, so tinynn runs on the ojalgo backend, about 15x slower: " + cause;
    }

    static void warnOnce(String warning, PrintStream err) {
        if (WARNED.compareAndSet(false, true)) err.println(warning);
    }
}
