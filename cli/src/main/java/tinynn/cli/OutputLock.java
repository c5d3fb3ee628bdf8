package tinynn.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a model file that a training run writes, held for the whole run, so that a
 * second run writing the same file is refused instead of silently replacing the first one's saves.
 * The model file itself cannot carry the lock: every save replaces it by a rename. The lock is on
 * an empty sidecar file {@code .NAME.lock} beside it, which stays (deleting it would let a run that
 * opened it just before lock a file no one else sees); the operating system drops the lock when
 * the process ends, however it ends.
 */
final class OutputLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".lock");
    }

    /** Locks {@code file} (the value of {@code option}) for this run, or fails naming it if another run (or this process) holds it. */
    static OutputLock acquire(Path file, String option) {
        Path lf = lockFile(file);
        FileChannel ch;
        try {
            ch = FileChannel.open(lf, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new Failure(file + ": cannot create its lock file " + lf + ": " + Errors.describe(e));
        }
        FileLock l = null;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this process: the same thing, for tests and embedders running two trainings
        } catch (IOException e) {
            close(ch);
            throw new Failure(file + ": cannot lock " + lf + ": " + Errors.describe(e));
        }
        if (l == null) {
            close(ch);
            throw new Failure(file + ": another tinynn train is writing it (it holds " + lf
                    + "); wait for that run to end or choose another " + option);
        }
        return new OutputLock(ch, l);
    }

    @Override public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        close(channel);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written to it
        }
    }
}
