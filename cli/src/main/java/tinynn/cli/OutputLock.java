package tinynn.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An exclusive lock on a model file that a training run writes, held for the whole run, so that a
 * second run writing the same file is refused instead of silently replacing the first one's saves.
 * The model file itself cannot carry the lock (every save replaces it by a rename), so the lock is
 * on a sidecar file {@code .NAME.lock} beside it, holding the owner's process id. The operating
 * system drops the lock when the process ends, however it ends; the owner deletes the file at the
 * end of its run (a stale one left by a killed process is simply reused).
 *
 * <p>Two traps. Deleting a lock file races with a run that opened it just before and then locks a
 * file no longer in the directory: so a run checks, after locking, that the path still names the
 * file it opened (same file key before opening and after locking), and starts over if not. And the
 * operating system's locks belong to the process, not to the channel: closing any other descriptor
 * of the file in this process would drop them. So the owner never opens the lock file again, and
 * locks held in this process are tracked here and refused without touching the file.
 */
final class OutputLock implements AutoCloseable {
    private static final int ATTEMPTS = 5;
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final Set<OutputLock> OPEN = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel channel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OutputLock(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    static Path lockFile(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".lock");
    }

    /**
     * Fails before any training if {@code target} cannot be written: saves write a temporary file
     * beside it and rename it over the target, so the directory must take a new file, and an
     * existing target must be writable (a read-only model is not silently replaced).
     */
    static void checkWritable(Path target, String option) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new Failure(target + ": the directory " + dir + " does not exist");
        if (Files.isDirectory(target)) throw new Failure(target + ": is a directory; " + option + " needs a file name such as model.tnn");
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new Failure(target + ": the file is read-only; make it writable or choose another " + option);
        }
        String why;
        try {
            Files.delete(Files.createTempFile(dir, ".tinynn-probe-", ".tmp"));
            return;
        } catch (AccessDeniedException e) {
            why = " (permission denied)";
        } catch (FileSystemException e) {
            why = e.getReason() != null ? " (" + e.getReason() + ")" : "";
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            why = " (" + Errors.describe(e) + ")";
        }
        throw new Failure(target + ": cannot create files in " + dir + why + "; choose another " + option);
    }

    /** Locks {@code file} (the value of {@code option}) for this run, or fails naming it if another run holds it. */
    static OutputLock acquire(Path file, String option) {
        Path lf = lockFile(file);
        if (!HELD.add(lf)) throw refused(file, option, lf, Long.toString(ProcessHandle.current().pid()));
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Object before = fileKey(lf);
                FileChannel ch;
                FileLock l;
                try {
                    ch = FileChannel.open(lf, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    throw new Failure(file + ": cannot create its lock file " + lf + ": " + Errors.describe(e));
                }
                try {
                    l = ch.tryLock();
                } catch (IOException e) {
                    close(ch);
                    throw new Failure(file + ": cannot lock " + lf + ": " + Errors.describe(e));
                }
                if (l == null) {
                    close(ch);
                    throw refused(file, option, lf, owner(lf));
                }
                if (before != null && before.equals(fileKey(lf))) {
                    try {
                        ch.truncate(0);
                        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    } catch (IOException ignored) {
                        // the process id is for the message of a refused run only
                    }
                    OutputLock lock = new OutputLock(lf, ch);
                    OPEN.add(lock);
                    return lock;
                }
                close(ch); // created just now, or replaced since: look again
            }
            throw new Failure(file + ": could not lock " + lf + " (it keeps being replaced); is another tinynn train starting?");
        } catch (RuntimeException e) {
            HELD.remove(lf);
            throw e;
        }
    }

    private static Failure refused(Path file, String option, Path lf, String owner) {
        return new Failure(file + ": another tinynn train" + (owner != null ? " (process " + owner + ")" : "")
                + " is writing it; wait for that run to end or choose another " + option + " (lock file " + lf + ")");
    }

    /** The file's identity (device and inode), without opening it; null if it does not exist. */
    private static Object fileKey(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    /** The process id recorded in a lock file this process does not hold, if it can be read. */
    private static String owner(Path lf) {
        try {
            String s = Files.readString(lf, StandardCharsets.UTF_8).strip();
            return s.matches("\\d{1,19}") ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Releases every lock of this process: for the Ctrl-C hook, which ends the process without unwinding the run. */
    static void releaseAll() {
        OPEN.forEach(OutputLock::close);
    }

    /** Deletes the lock file, then releases the lock (in this order: see the class comment). */
    @Override public void close() {
        if (!closed.compareAndSet(false, true)) return;
        OPEN.remove(this);
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stale lock file is harmless: the next run reuses it
        }
        close(channel);
        HELD.remove(path);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close(); // releases its lock
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
