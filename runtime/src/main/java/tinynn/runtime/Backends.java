package tinynn.runtime;

import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.simd.SimdBackend;
import tinynn.runtime.simd.SimdInfo;

/** Chooses a backend by name, as the CLI's --backend does. */
public final class Backends {
    private Backends() {}

    /** simd where the Vector API is available (it needs --add-modules=jdk.incubator.vector), else ojalgo. */
    public static final String DEFAULT = SimdInfo.vectorApiAvailable() ? "simd" : "ojalgo";

    public static Backend create(String name, int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        return switch (name) {
            case "ojalgo" -> {
                org.ojalgo.OjAlgoUtils.limitThreadsTo(threads);
                yield new OjalgoBackend();
            }
            case "simd" -> new SimdBackend(threads);
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; use ojalgo or simd");
        };
    }

    public static Backend createDefault() { return create(DEFAULT, Runtime.getRuntime().availableProcessors()); }
}
