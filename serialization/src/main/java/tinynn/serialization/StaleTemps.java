package tinynn.serialization;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the temporary files that a writer killed in the middle of a save (kill -9, power loss) left next to
 * the target: {@code .NAME.PID-RANDOM.tmp} whose process no longer exists. A file is removed only if it is
 * also older than {@link #MIN_AGE}, so that a writer in another PID namespace (a container sharing the
 * directory), whose process this one cannot see, is not disturbed while it is still writing.
 * {@code .NAME.RANDOM.tmp} files of older tinynn versions name no process and are removed after
 * {@link #UNOWNED_MIN_AGE}.
 */
final class StaleTemps {

    /** How old a temporary file of a dead process must be before it is removed. */
    static final Duration MIN_AGE = Duration.ofMinutes(1);

    /** How old a temporary file without a process id must be before it is removed. */
    static final Duration UNOWNED_MIN_AGE = Duration.ofHours(1);

    private static final Pattern SUFFIX = Pattern.compile("(?:(\\d{1,19})-)?[0-9a-f]{16}\\.tmp");

    private StaleTemps() {}

    /** Best effort: every failure (listing, a file vanishing, permissions) is ignored; the save goes on. */
    static void remove(Path dir, String targetName) {
        String prefix = "." + targetName + ".";
        Instant now = Instant.now();
        DirectoryStream.Filter<Path> sameTarget = p -> p.getFileName().toString().startsWith(prefix);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, sameTarget)) {
            for (Path p : files) {
                Matcher m = SUFFIX.matcher(p.getFileName().toString().substring(prefix.length()));
                if (m.matches() && isStale(m.group(1), Files.getLastModifiedTime(p).toInstant(), now)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Cleaning up is a courtesy: it must never make a save fail.
        }
    }

    /** @param pid the writer's process id from the file name, or null if the name has none */
    static boolean isStale(String pid, Instant modified, Instant now) {
        if (pid == null) {
            return modified.plus(UNOWNED_MIN_AGE).isBefore(now);
        }
        long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            return false;
        }
        return modified.plus(MIN_AGE).isBefore(now) && ProcessHandle.of(id).isEmpty();
    }
}
