package tinynn.cli;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/** "did you mean ..." for a mistyped option or command: the nearest name by edit distance, or by prefix. */
final class Suggestions {
    private Suggestions() {}

    /** "; did you mean '--epochs'?" for the first unmatched argument of {@code e}, or "" when nothing is close. */
    static String of(UnmatchedArgumentException e) {
        List<String> unmatched = e.getUnmatched();
        if (unmatched == null || unmatched.isEmpty()) return "";
        CommandLine c = e.getCommandLine();
        String arg = unmatched.getFirst();
        Collection<String> names;
        if (arg.startsWith("-")) {
            int eq = arg.indexOf('=');
            if (eq > 0) arg = arg.substring(0, eq);
            names = c.getCommandSpec().optionsMap().keySet();
        } else {
            names = c.getSubcommands().keySet();
        }
        String best = nearest(arg, names);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** The candidate closest to {@code typed}: a unique one it is a prefix of, else within an edit distance of about a third of its length. */
    static String nearest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        String prefixed = null;
        int prefixes = 0;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : candidates) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(t)) continue;
            if (n.startsWith(t) && t.replace("-", "").length() >= 2) {
                prefixed = name;
                prefixes++;
            }
            int d = distance(t, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        if (prefixes == 1) return prefixed;
        int allowed = Math.max(1, Math.min(3, t.replace("-", "").length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
