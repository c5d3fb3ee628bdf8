package tinynn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import tinynn.base.TinynnException;

/** Exit codes and the one-line rendering of errors. */
final class Errors {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    /** Training stopped by Ctrl-C or SIGTERM with its checkpoint saved (a failed save is {@link #FAILURE}). */
    static final int INTERRUPTED = 130;

    private Errors() {}

    /** "tinynn train: " for errors of that command. */
    static String prefix(CommandLine c) {
        return c.getCommandSpec().qualifiedName() + ": ";
    }

    /**
     * The user-facing message of a failure, on one line. tinynn's own errors ({@link TinynnException}) are written
     * for users and already name their file or layer; anything else unexpected is an internal error.
     */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) ex = u.getCause();
        String msg = ex.getMessage();
        String text = switch (ex) {
            case Failure f -> msg;
            case NoSuchFileException e -> e.getFile() + ": no such file" + other(e);
            case AccessDeniedException e -> e.getFile() + ": permission denied" + other(e);
            case NotDirectoryException e -> e.getFile() + ": not a directory";
            case DirectoryNotEmptyException e -> e.getFile() + ": directory not empty";
            case FileAlreadyExistsException e -> e.getFile() + ": already exists";
            case FileSystemException e -> e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "file system error") + other(e);
            case IOException e -> msg != null ? msg : "I/O error (" + e.getClass().getSimpleName() + ")";
            case OutOfMemoryError e -> "out of memory (" + msg + "); use a smaller --batch-size or give the JVM more heap";
            case IllegalArgumentException e when msg != null -> msg;
            case IllegalStateException e when msg != null -> msg;
            case TinynnException e when msg != null -> msg;
            default -> "internal error: " + ex.getClass().getName() + (msg != null ? ": " + msg : "")
                    + " (rerun with --debug for the stack trace)";
        };
        return oneLine(text);
    }

    private static String other(FileSystemException e) {
        return e.getOtherFile() != null ? " (" + e.getOtherFile() + ")" : "";
    }

    /** First line of a message; multi-line summaries keep their first (advice) line. */
    static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String first = (nl < 0 ? s : s.substring(0, nl)).replace('\r', ' ').strip();
        return nl < 0 ? first : first + " (more with --debug)";
    }
}
