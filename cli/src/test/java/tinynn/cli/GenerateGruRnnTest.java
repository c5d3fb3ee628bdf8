package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.text.Vocabulary;
import tinynn.graph.Shape;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Recurrent;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * {@code generate} on character models whose recurrent layer is a gru or an rnn (spec files; CharLmTest covers the
 * charlstm preset): these carry h only, no c. Each is trained for one short epoch (a few steps) on a small grammar
 * text, which is enough to check the generator's paths, not what it learnt: the requested length, characters of the
 * vocabulary only, the same text for the same seed, and stepping with the carried state computing what the whole
 * text at once computes.
 */
class GenerateGruRnnTest {
    @TempDir static Path dir;
    static String corpus;
    static Vocabulary vocab;
    static final int SEQ = 20;
    /** Per recurrent layer type: the trained model file. */
    static final Map<String, Path> models = new LinkedHashMap<>();
    static final Map<String, Cli.Result> trained = new LinkedHashMap<>();

    /** 60 sentences (1,385 characters): 62 training sequences of 20, four batches of 16, one epoch (about 2 s each). */
    @BeforeAll static void train() throws IOException {
        corpus = GrammarCorpus.text(60, 7);
        vocab = Vocabulary.of(corpus);
        Path text = Files.writeString(dir.resolve("grammar.txt"), corpus);
        int v = vocab.size();
        for (String type : List.of("gru", "rnn")) {
            Path spec = Files.writeString(dir.resolve(type + ".txtpb"), """
                    layers {
                      layers { type: "embedding" attrs { key: "vocab" value { i: %d } } attrs { key: "dim" value { i: 8 } } }
                      layers { type: "%s" attrs { key: "hidden" value { i: 24 } } attrs { key: "return_sequences" value { b: true } } }
                      layers { type: "dense" attrs { key: "out" value { i: %d } } }
                    }
                    training { optimizer { type: "adam" hyper { key: "lr" value: 0.01 } } }
                    """.formatted(v, type, v));
            Path model = dir.resolve(type + ".tnn");
            trained.put(type, Cli.run("train", "--text", text.toString(), "--arch", spec.toString(), "--seq-len", String.valueOf(SEQ),
                    "--batch-size", "16", "--epochs", "1", "--progress", "none", "--threads", "1", "--out", model.toString()));
            models.put(type, model);
        }
    }

    @Test void theModelsHoldTheirRecurrentLayer() throws IOException {
        for (var e : models.entrySet()) {
            Cli.Result t = trained.get(e.getKey());
            assertEquals(0, t.code(), t::toString);
            Model m = Model.load(e.getValue());
            assertEquals(1, m.history().size(), t::toString);
            int windows = (corpus.length() - 1) / SEQ, held = (int) Math.round(0.1 * windows);
            assertTrue(t.out().contains("data: " + (windows - held) + " training sequences of " + SEQ + " characters"), t::toString);
            List<Layer> layers = m.net().layers();
            assertEquals(List.of("embedding", e.getKey(), "dense"), layers.stream().map(Layer::type).toList());
            Recurrent r = (Recurrent) layers.get(1);
            assertTrue(r.returnSequences() && !r.bidirectional(), r::toString);
            assertEquals(24, r.hidden());
        }
    }

    @Test void theRequestedLengthFromTheVocabularyAndTheSameTextForTheSameSeed() {
        for (var e : models.entrySet()) {
            String what = e.getKey(), model = e.getValue().toString();
            Cli.Result a = Cli.run("generate", model, "--prime", "the ", "--length", "150", "--seed", "5");
            assertEquals(0, a.code(), a::toString);
            String out = a.out();
            assertTrue(out.startsWith("the "), what + ": " + out);
            assertTrue(out.endsWith("\n"), what + ": " + out);
            String generated = out.substring("the ".length(), out.length() - 1);
            assertEquals(150, generated.codePointCount(0, generated.length()), what + ": " + out);
            generated.codePoints().forEach(c -> assertTrue(vocab.id(c) >= 0, what + ": " + Vocabulary.describe(c) + " is not in the vocabulary: " + out));
            assertEquals(out, Cli.run("generate", model, "--prime", "the ", "--length", "150", "--seed", "5").out(), what + ": the same seed");
            assertNotEquals(out, Cli.run("generate", model, "--prime", "the ", "--length", "150", "--seed", "6").out(), what + ": another seed");
            // The default prime (a newline, which the text has) and length 0: the prime alone.
            Cli.Result none = Cli.run("generate", model, "--length", "0", "--seed", "5");
            assertEquals(0, none.code(), none::toString);
            assertEquals("\n\n", none.out(), what);
        }
    }

    /**
     * Stepping one character at a time with the carried h computes what the whole text at once computes: each
     * greedy choice is the largest of the model's logits over prime + generated text run as one [1, SEQ] sequence
     * (up to rounding: a barely trained model's logits are close together).
     */
    @Test void steppingWithTheCarriedStateMatchesTheWholeSequence() throws IOException {
        for (var e : models.entrySet()) {
            Model m = Model.load(e.getValue());
            int[] prime = vocab.encode("a cat ");
            int n = SEQ - prime.length + 1; // the whole text then fills the model's [1, SEQ] input
            int[] generated = new int[n];
            int[] k = {0};
            new Generator(m, e.getValue(), vocab.size()).generate(prime, n, new Sampler(0, 1), id -> generated[k[0]++] = id);
            assertEquals(n, k[0]);
            Tensor x = Tensor.zeros(m.dtype(), Shape.of(1, SEQ));
            for (int i = 0; i < SEQ; i++) x.set(i, i < prime.length ? prime[i] : generated[i - prime.length]);
            Tensor logits = Model.load(e.getValue()).predict(x);
            int v = vocab.size();
            for (int j = 0; j < n; j++) {
                int pos = prime.length - 1 + j;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < v; c++) max = Math.max(max, logits.get(pos * v + c));
                double chosen = logits.get(pos * v + generated[j]);
                assertTrue(chosen >= max - 1e-4 * Math.max(1, Math.abs(max)), e.getKey() + " step " + j + ": chose logit " + chosen + ", largest " + max);
            }
        }
    }
}
