package tinynn.runtime;

import tinynn.runtime.ojalgo.OjalgoBackend;

/** Chooses a backend by name, as the CLI's --backend does. */
public final class Backends {
    private Backends() {}

    public static final String DEFAULT = "ojalgo";

    public static Backend create(String name, int threads) {
        return switch (name) {
            case "ojalgo" -> new OjalgoBackend();
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; use ojalgo or simd");
        };
    }

    public static Backend createDefault() { return create(DEFAULT, Runtime.getRuntime().availableProcessors()); }
}
