package tinynn.cli.nativeimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;

/**
 * Native image only (never loaded on the JVM): registers every class generated from the model file
 * schema ({@code tinynn.serialization.proto}) and from our ONNX subset ({@code tinynn.serialization.onnx.proto}):
 * messages, builders, enums, oneof cases, for reflection. protobuf-java reaches generated accessors through reflection for text format
 * ({@code tinynn train --arch spec.txtpb}) and {@code toString()}; binary parsing needs nothing.
 * Scanning the class path instead of listing classes keeps this right when the schema grows.
 */
public final class ProtobufReflectionFeature implements Feature {
    static final List<String> PACKAGES = List.of("tinynn/serialization/proto/", "tinynn/serialization/onnx/proto/");

    @Override public String getDescription() {
        return "Registers tinynn.serialization.proto and tinynn.serialization.onnx.proto classes for protobuf reflection";
    }

    @Override public void beforeAnalysis(BeforeAnalysisAccess access) {
        List<String> names = new ArrayList<>();
        for (Path entry : access.getApplicationClassPath()) {
            for (String pkg : PACKAGES) names.addAll(classesIn(entry, pkg));
        }
        for (String name : names) {
            Class<?> c = access.findClassByName(name);
            if (c == null) continue;
            RuntimeReflection.register(c);
            RuntimeReflection.register(c.getDeclaredConstructors());
            RuntimeReflection.register(c.getDeclaredMethods());
            RuntimeReflection.register(c.getMethods());
            RuntimeReflection.register(c.getDeclaredFields());
        }
    }

    private static List<String> classesIn(Path entry, String pkgPath) {
        List<String> out = new ArrayList<>();
        try {
            if (Files.isDirectory(entry)) {
                Path pkg = entry.resolve(pkgPath);
                if (!Files.isDirectory(pkg)) return out;
                try (Stream<Path> s = Files.list(pkg)) {
                    s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                            .forEach(n -> out.add(className(pkgPath + n)));
                }
            } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                try (ZipFile z = new ZipFile(entry.toFile())) {
                    Enumeration<? extends ZipEntry> e = z.entries();
                    while (e.hasMoreElements()) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(pkgPath) && n.endsWith(".class") && n.indexOf('/', pkgPath.length()) < 0) out.add(className(n));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("scanning " + entry + " for protobuf classes", e);
        }
        return out;
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
