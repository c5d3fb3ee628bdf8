package tinynn.runtime;

/** Main class for {@link BackendFallbackWarningTest}: creates the default backend twice, as a program might. */
public final class FallbackProbe {
    public static void main(String[] args) {
        Backends.createDefault();
        Backends.create(Backends.DEFAULT, 1);
        System.out.println("backend " + Backends.DEFAULT);
    }
}
