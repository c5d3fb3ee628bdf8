package tinynn.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What each source said while the fetcher tried it, condensed for the one-line error: attempts are
 * grouped by source in the order tried, and files failing one source for the same reason share
 * that reason, so four 404s from one mirror read as one entry.
 */
final class FetchAttempts {
    /** One failed attempt; {@code file} is {@code null} when the whole source failed. */
    private record Attempt(String source, String file, String problem) {}

    private final List<Attempt> attempts = new ArrayList<>();

    /** Records a failure and returns it as one line, for progress output. */
    String add(String source, String file, String problem) {
        Attempt attempt = new Attempt(source, file, flatten(problem));
        attempts.add(attempt);
        return source + ": " + (file == null ? "" : file + ": ") + attempt.problem();
    }

    boolean isEmpty() {
        return attempts.isEmpty();
    }

    /**
     * {@code A (reason), B (file: reason; other file: reason)}, in the order tried.
     *
     * @param fileCount how many files were wanted, so a reason shared by all of them reads "every file"
     */
    String render(int fileCount) {
        Map<String, Map<String, List<String>>> bySource = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            bySource.computeIfAbsent(a.source(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(a.problem(), p -> new ArrayList<>())
                    .add(a.file());
        }
        List<String> entries = new ArrayList<>();
        bySource.forEach((source, byProblem) -> {
            List<String> details = new ArrayList<>();
            byProblem.forEach((problem, files) -> {
                List<String> named = files.stream().filter(f -> f != null).distinct().toList();
                String which = named.isEmpty() ? ""
                        : named.size() == fileCount && fileCount > 1 ? "every file: "
                        : String.join(", ", named) + ": ";
                details.add(which + problem);
            });
            entries.add(source + " (" + String.join("; ", details) + ")");
        });
        return entries.stream().collect(Collectors.joining(", "));
    }

    /** Messages from tools and servers may span lines; the summary must not. */
    private static String flatten(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** An exception as a reason: JDK network exceptions often have a null message on the outer layer; find the informative one. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return t.getClass().getSimpleName() + ": " + message.strip().lines().findFirst().orElse("");
            }
        }
        return e.getClass().getSimpleName();
    }
}
