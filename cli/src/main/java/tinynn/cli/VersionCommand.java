package tinynn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tinynn.runtime.Backend;

@Command(name = "version",
        mixinStandardHelpOptions = true,
        description = "Prints the tinynn version, the runtime (JVM or native image) and the compute backend.",
        footerHeading = "%nExamples:%n",
        footer = {"  tinynn version", "  tinynn version --backend ojalgo --threads 1"})
public final class VersionCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to describe (default: the default backend).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Threads to describe it with (default: all cores).")
    Integer threads;

    @Override public Integer call() {
        Backend b = TrainCommand.createBackend(backend, threads != null ? threads : Runtime.getRuntime().availableProcessors(), spec);
        StartupTrace.mark("backend created");
        PrintWriter o = spec.commandLine().getOut();
        o.println("tinynn " + version());
        o.println("runtime: " + runtime());
        o.println("backend: " + b.describe());
        o.flush();
        return Errors.OK;
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static boolean isNativeImage() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }

    static String runtime() {
        String os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        int cores = Runtime.getRuntime().availableProcessors();
        if (isNativeImage()) {
            return "native image (Java " + System.getProperty("java.version") + ", " + System.getProperty("java.vm.name", "Substrate VM")
                    + "), " + os + ", " + cores + " cores";
        }
        return "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + " (" + System.getProperty("java.vendor") + "), " + os + ", " + cores + " cores, max heap "
                + InspectCommand.size(Runtime.getRuntime().maxMemory());
    }

    /** For {@code tinynn --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"tinynn " + version(), runtime()};
        }
    }
}
