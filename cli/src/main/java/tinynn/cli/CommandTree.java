package tinynn.cli;

import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * tinynn's picocli command tree: every command's {@code CommandSpec}, options and parameters, which picocli builds
 * by reflection over the annotated command classes and their built-in type converters. In the native binary that
 * was the largest part of {@code tinynn version} (see docs/native.md, "Start-up"), so the native image builds the
 * tree while the image is built: this class, picocli and the command classes are initialized at build time
 * (META-INF/native-image/dev.tinynn/tinynn-cli/native-image.properties) and the process's one {@link #take}
 * gets that tree. On the JVM, and for any later call, {@link #take} builds a new tree (tests build many).
 *
 * <p>Safe to keep in the image: a fresh tree holds only the specs, the command objects with their initial field
 * values, and converters. picocli opens System.out/err lazily (at the first getOut()/getErr(), which run time
 * does), and the terminal width and ANSI support are looked up when help is printed. Handlers are set at run time
 * ({@link Main#commandLine}).
 */
final class CommandTree {
    /** The tree built with the native image; null on the JVM and once taken. */
    private static final AtomicReference<CommandLine> BUILT_WITH_IMAGE =
            new AtomicReference<>(isImageBuild() ? build() : null);

    private CommandTree() {}

    /** A command tree nobody has used yet: the one built with the image the first time, else a new one. */
    static CommandLine take() {
        CommandLine built = BUILT_WITH_IMAGE.getAndSet(null);
        return built != null ? built : build();
    }

    static CommandLine build() {
        return new CommandLine(new Main());
    }

    /** True while native-image builds the image (what org.graalvm.nativeimage.ImageInfo reads; that API is not on the JVM class path). */
    private static boolean isImageBuild() {
        return "buildtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }
}
