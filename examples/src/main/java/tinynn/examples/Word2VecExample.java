package tinynn.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * word2vec's skip-gram with negative sampling (Mikolov et al. 2013) on a text file ({@code --text FILE}, UTF-8):
 * the text is split into lower-case words, words seen fewer than 5 times are dropped, frequent words are subsampled
 * (kept with probability (√(f/t) + 1)·t/f, t = 10⁻³, as word2vec.c), and each remaining word is paired with the
 * words up to a random 1..5 positions away. A {@link SkipGram} layer scores dot(centre, context) for the true
 * context and 5 negatives drawn from the unigram distribution raised to 0.75; sigmoid cross-entropy pushes the first
 * score up and the others down. Prints the nearest neighbours (cosine) of the most frequent content words.
 *
 * <p>Without --text it trains on a corpus generated from a small grammar whose words fall into known categories
 * (animals, foods, colours, places, actions); there it also reports {@code same_category_neighbours}, the share of
 * those words whose nearest neighbour is of their own category (about 0.2 for untrained vectors, near 1 trained).
 */
public final class Word2VecExample implements Example {
    private static final int WINDOW = 5, NEGATIVES = 5, MIN_COUNT = 5, SHOWN = 8;
    private static final double SUBSAMPLE = 1e-3;
    private static final Pattern WORD = Pattern.compile("[a-z]+(?:'[a-z]+)?");

    /** The generated corpus's word categories: what the right neighbours are. */
    static final Map<String, List<String>> CATEGORIES = categories();

    public static void main(String[] a) throws Exception { ExampleMain.run("word2vec", a); }

    public String name() { return "word2vec"; }

    public String summary() { return "skip-gram word vectors with negative sampling on a text file; nearest neighbours of frequent words"; }

    public Set<String> options() { return Set.of("text"); }

    public ExampleResult run(ExampleContext ctx) throws IOException {
        long t0 = System.nanoTime();
        boolean generated = ctx.options().text() == null;
        String text = generated ? generatedCorpus(ctx.quick() ? 3000 : 30000, ctx.seed())
                : Files.readString(ctx.options().text(), StandardCharsets.UTF_8);
        List<String> words = tokens(text);
        Vocabulary vocab = Vocabulary.of(words, MIN_COUNT);
        if (vocab.size() < 2) throw new IllegalArgumentException("--text: fewer than 2 words occur " + MIN_COUNT + " times; give a longer text");
        int[] corpus = words.stream().mapToInt(w -> vocab.ids.getOrDefault(w, -1)).filter(id -> id >= 0).toArray();
        int dim = ctx.quick() ? 24 : 100, epochs = ctx.epochs(generated ? 5 : 3, 5);
        // Small batches on the small generated corpus, so that its few pairs still make enough steps.
        int batchSize = generated ? 128 : 1024;
        ctx.log("%s: %d words, %d distinct with at least %d occurrences; %d-dimensional vectors, %d epochs",
                generated ? "generated corpus" : ctx.options().text(), corpus.length, vocab.size(), MIN_COUNT, dim, epochs);

        Model model = new Model(new Net(new SkipGram(vocab.size(), dim)), Losses.sigmoidCrossEntropy(), new Adam(1e-2),
                ctx.backend(), DType.F32, ctx.seed());
        // Column 0 of every row is the true context (target 1), the rest are negatives (target 0).
        Tensor targets = Tensor.zeros(DType.F32, Shape.of(batchSize, 1 + NEGATIVES));
        for (int i = 0; i < batchSize; i++) targets.set(i * (1 + NEGATIVES), 1);
        Tensor batch = Tensor.zeros(DType.F32, Shape.of(batchSize, 2 + NEGATIVES));
        NegativeSampler negatives = new NegativeSampler(vocab.counts);
        SplittableRandom rng = new SplittableRandom(ctx.seed());
        double loss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            long e0 = System.nanoTime();
            int[][] pairs = pairs(corpus, vocab, rng);
            double sum = 0;
            int steps = pairs[0].length / batchSize;  // the last partial batch is left out: the next epoch draws other pairs
            for (int s = 0; s < steps; s++) {
                float[] x = batch.f32();
                for (int i = 0; i < batchSize; i++) {
                    int p = s * batchSize + i, row = i * (2 + NEGATIVES), context = pairs[1][p];
                    x[row] = pairs[0][p];
                    x[row + 1] = context;
                    for (int k = 0; k < NEGATIVES; k++) x[row + 2 + k] = negatives.draw(rng, context);
                }
                sum += model.trainStep(batch, targets);
            }
            loss = sum / Math.max(1, steps);
            ctx.log("epoch %d: %d pairs, loss %.4f (%.1f s)", epoch + 1, pairs[0].length, loss, (System.nanoTime() - e0) / 1e9);
        }

        float[] vectors = normalisedRows(model.parameters().get("skipgram0.centre"));
        ExampleResult result = new ExampleResult().metric("vocabulary", vocab.size()).metric("final_loss", loss);
        List<String> shown = generated ? CATEGORIES.values().stream().map(List::getFirst).toList() : contentWords(vocab, SHOWN);
        for (String w : shown) {
            if (!vocab.ids.containsKey(w)) continue;
            ctx.log("%-12s → %s", w, String.join(", ", nearest(vectors, dim, vocab, vocab.ids.get(w), 5)));
        }
        if (generated) {
            int right = 0, total = 0;
            for (var category : CATEGORIES.values()) {
                for (String w : category) {
                    if (!vocab.ids.containsKey(w)) continue;
                    total++;
                    if (category.contains(nearest(vectors, dim, vocab, vocab.ids.get(w), 1).getFirst())) right++;
                }
            }
            result.metric("same_category_neighbours", (double) right / total);
        }
        return result.metric("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    }

    /** Lower-case words: letters, with an inner apostrophe kept ("lord's"). */
    static List<String> tokens(String text) {
        List<String> l = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(java.util.Locale.ROOT));
        while (m.find()) l.add(m.group());
        return l;
    }

    /** The words kept and their counts, most frequent first (id 0). */
    record Vocabulary(Map<String, Integer> ids, String[] words, long[] counts, long total) {
        static Vocabulary of(List<String> tokens, int minCount) {
            Map<String, Long> c = new HashMap<>();
            for (String t : tokens) c.merge(t, 1L, Long::sum);
            List<Map.Entry<String, Long>> kept = c.entrySet().stream().filter(e -> e.getValue() >= minCount)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).toList();
            Map<String, Integer> ids = new HashMap<>();
            String[] words = new String[kept.size()];
            long[] counts = new long[kept.size()];
            long total = 0;
            for (int i = 0; i < kept.size(); i++) {
                words[i] = kept.get(i).getKey();
                counts[i] = kept.get(i).getValue();
                ids.put(words[i], i);
                total += counts[i];
            }
            return new Vocabulary(ids, words, counts, total);
        }

        int size() { return words.length; }
    }

    /**
     * One epoch's (centre, context) pairs, shuffled: frequent words subsampled, then each centre paired with the
     * words within a window drawn from 1..WINDOW (so near words count more, as in word2vec.c).
     */
    static int[][] pairs(int[] corpus, Vocabulary vocab, SplittableRandom rng) {
        int[] kept = Arrays.stream(corpus).filter(id -> {
            double f = (double) vocab.counts[id] / vocab.total;
            return rng.nextDouble() < (Math.sqrt(f / SUBSAMPLE) + 1) * SUBSAMPLE / f;
        }).toArray();
        int[] centres = new int[kept.length * 2 * WINDOW], contexts = new int[centres.length];
        int n = 0;
        for (int i = 0; i < kept.length; i++) {
            int w = 1 + rng.nextInt(WINDOW);
            for (int j = Math.max(0, i - w); j <= Math.min(kept.length - 1, i + w); j++) {
                if (j == i) continue;
                centres[n] = kept[i];
                contexts[n++] = kept[j];
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int c = centres[i]; centres[i] = centres[j]; centres[j] = c;
            c = contexts[i]; contexts[i] = contexts[j]; contexts[j] = c;
        }
        return new int[][] {Arrays.copyOf(centres, n), Arrays.copyOf(contexts, n)};
    }

    /** Word ids drawn with probability ∝ count^0.75 (Mikolov et al.'s noise distribution), by binary search. */
    static final class NegativeSampler {
        private final double[] cumulative;

        NegativeSampler(long[] counts) {
            cumulative = new double[counts.length];
            double s = 0;
            for (int i = 0; i < counts.length; i++) cumulative[i] = s += Math.pow(counts[i], 0.75);
            for (int i = 0; i < counts.length; i++) cumulative[i] /= s;
        }

        /** A word other than {@code context} (one redraw; a small vocabulary may still repeat it). */
        int draw(SplittableRandom rng, int context) {
            int w = draw(rng);
            return w == context ? draw(rng) : w;
        }

        private int draw(SplittableRandom rng) {
            int i = Arrays.binarySearch(cumulative, rng.nextDouble());
            return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
        }
    }

    /** The table's rows scaled to length 1, so a dot product is a cosine. */
    private static float[] normalisedRows(Tensor table) {
        int rows = table.shape().dim(0), d = table.shape().dim(1);
        float[] v = table.f32().clone();
        for (int r = 0; r < rows; r++) {
            double n = 0;
            for (int k = 0; k < d; k++) n += v[r * d + k] * v[r * d + k];
            float inv = n > 0 ? (float) (1 / Math.sqrt(n)) : 0;
            for (int k = 0; k < d; k++) v[r * d + k] *= inv;
        }
        return v;
    }

    /** The {@code k} words with the highest cosine to word {@code id}, best first. */
    static List<String> nearest(float[] unit, int d, Vocabulary vocab, int id, int k) {
        Integer[] order = new Integer[vocab.size()];
        double[] cos = new double[vocab.size()];
        for (int r = 0; r < vocab.size(); r++) {
            order[r] = r;
            double s = 0;
            for (int j = 0; j < d; j++) s += unit[id * d + j] * unit[r * d + j];
            cos[r] = r == id ? Double.NEGATIVE_INFINITY : s;
        }
        Arrays.sort(order, (a, b) -> Double.compare(cos[b], cos[a]));
        return Arrays.stream(order, 0, Math.min(k, order.length)).map(r -> vocab.words[r]).toList();
    }

    /** Common English function words, left out of the words whose neighbours are shown. */
    private static final Set<String> STOP = Set.of(("the and of to a in that is was he for it with as his on be at by i this had not are but "
            + "from or have an they which one you were her all she there would their we him been has when who will more no if out so "
            + "said what up its about into than them can only other new some could time these two may then do first any my now such "
            + "like our over man me even most made after also did many before must through back years where much your way well down "
            + "should because each just those people how too little state good very make world still own see men work long get here "
            + "between both life being under never day same another know while last might us great old year off come since against go "
            + "came right used take three unto shall thou thy thee ye hath saith upon lord's").split(" "));

    /** The {@code n} most frequent words that are not function words. */
    private static List<String> contentWords(Vocabulary vocab, int n) {
        return Arrays.stream(vocab.words).filter(w -> !STOP.contains(w) && w.length() > 2).limit(n).toList();
    }

    private static Map<String, List<String>> categories() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("animals", List.of("cat", "dog", "horse", "cow", "sheep", "goat", "pig", "mouse"));
        m.put("foods", List.of("bread", "cheese", "apple", "soup", "rice", "cake", "milk", "honey"));
        m.put("colours", List.of("red", "green", "blue", "yellow", "white", "black", "brown", "grey"));
        m.put("places", List.of("house", "garden", "field", "river", "forest", "town", "barn", "market"));
        m.put("actions", List.of("sleeps", "runs", "sits", "plays", "waits", "rests", "hides", "jumps"));
        return m;
    }

    /**
     * {@code sentences} sentences from fixed templates, each slot filled with a random word of one category, so
     * words of a category share their contexts and the right neighbours are known.
     */
    static String generatedCorpus(int sentences, long seed) {
        String[] templates = {
                "the {colours} {animals} eats the {foods} in the {places}",
                "a {animals} {actions} near the {places}",
                "the {animals} and the {animals} {actions} all day",
                "we bought {foods} and {foods} at the {places}",
                "her {colours} hat is as {colours} as the {foods}",
                "the {places} is far from the {places} by the {places}",
                "my {animals} {actions} when it sees the {colours} {foods}",
        };
        SplittableRandom rng = new SplittableRandom(seed);
        Pattern slot = Pattern.compile("\\{(\\w+)}");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            Matcher m = slot.matcher(templates[rng.nextInt(templates.length)]);
            while (m.find()) {
                List<String> words = CATEGORIES.get(m.group(1));
                m.appendReplacement(sb, words.get(rng.nextInt(words.size())));
            }
            m.appendTail(sb);
            sb.append(".\n");
        }
        return sb.toString();
    }
}
