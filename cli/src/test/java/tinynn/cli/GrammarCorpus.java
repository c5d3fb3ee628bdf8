package tinynn.cli;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A text with a clear structure for testing character models: one sentence a line, "DET NOUN VERB DET NOUN.", words
 * drawn uniformly from small lists ("the cat sees a dog."). A model that learnt it spells only these words, in this
 * order, and ends each sentence with a full stop; one that did not has no better loss than the unigram entropy.
 */
final class GrammarCorpus {
    static final List<String> DETERMINERS = List.of("the", "a");
    static final List<String> NOUNS = List.of("cat", "dog", "bird", "fish", "horse", "mouse");
    static final List<String> VERBS = List.of("sees", "likes", "chases", "bites", "hears");

    /** A grammatical sentence, the whole line. */
    static final Pattern SENTENCE = Pattern.compile("(" + alt(DETERMINERS) + ") (" + alt(NOUNS) + ") (" + alt(VERBS) + ") ("
            + alt(DETERMINERS) + ") (" + alt(NOUNS) + ")\\.");

    private GrammarCorpus() {}

    /** {@code sentences} lines of the grammar, each ending with a newline. */
    static String text(int sentences, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(pick(DETERMINERS, r)).append(' ').append(pick(NOUNS, r)).append(' ').append(pick(VERBS, r)).append(' ')
                    .append(pick(DETERMINERS, r)).append(' ').append(pick(NOUNS, r)).append(".\n");
        }
        return sb.toString();
    }

    /** −Σ p ln p of a text's character frequencies in nats, computed here independently of TextCorpus. */
    static double unigramEntropy(String s) {
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        s.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double n = s.codePointCount(0, s.length()), h = 0;
        for (int c : counts.values()) h -= c / n * Math.log(c / n);
        return h;
    }

    /** Whether a word is one of the grammar's. */
    static boolean isWord(String w) { return DETERMINERS.contains(w) || NOUNS.contains(w) || VERBS.contains(w); }

    private static String pick(List<String> words, SplittableRandom r) { return words.get(r.nextInt(words.size())); }

    private static String alt(List<String> words) { return String.join("|", words); }
}
