package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.text.Vocabulary;
import tinynn.graph.Shape;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * {@code train --text} with a model spec: an embedding and a time-distributed dense layer, i.e. a bigram model (the next
 * character from the current one alone). Quick to train, and it already beats the unigram entropy, so the text
 * pipeline (windows, vocabulary metadata, validation per character, resume, errors) is tested apart from the LSTM.
 */
class TextTrainingTest {
    @TempDir static Path dir;
    static Path text, spec, model;
    static String corpus;
    static Cli.Result trained;

    @BeforeAll static void train() throws IOException {
        corpus = GrammarCorpus.text(800, 3);
        text = Files.writeString(dir.resolve("grammar.txt"), corpus);
        int v = Vocabulary.of(corpus).size();
        spec = Files.writeString(dir.resolve("bigram.txtpb"), """
                layers {
                  layers { type: "embedding" attrs { key: "vocab" value { i: %d } } attrs { key: "dim" value { i: 16 } } }
                  layers { type: "dense" attrs { key: "out" value { i: %d } } }
                }
                training { optimizer { type: "adam" hyper { key: "lr" value: 0.05 } } }
                """.formatted(v, v));
        model = dir.resolve("bigram.tnn");
        trained = Cli.run("train", "--text", text.toString(), "--arch", spec.toString(), "--seq-len", "20", "--epochs", "3",
                "--progress", "none", "--threads", "1", "--out", model.toString());
    }

    @Test void trainsAndReportsPerCharacterLosses() throws IOException {
        assertEquals(0, trained.code(), trained::toString);
        List<String> lines = trained.out().lines().toList();
        assertTrue(lines.get(0).startsWith("grammar.txt: bigram.txtpb, " + (Vocabulary.of(corpus).size() * (16 + 16 + 1)) + " parameters (f32), "
                + "adam lr 0.05, batch 64, "), trained::toString);
        int n = corpus.length();
        double h = GrammarCorpus.unigramEntropy(corpus);
        assertEquals(String.format(java.util.Locale.ROOT, "text: %,d characters, vocabulary %d, unigram entropy %.4f nats (%.3f bits) per character",
                n, Vocabulary.of(corpus).size(), h, h / Math.log(2)), lines.get(1));
        int windows = (n - 1) / 20, held = (int) Math.round(0.1 * windows);
        assertEquals(String.format(java.util.Locale.ROOT, "data: %,d training sequences of 20 characters, %,d validation sequences", windows - held, held),
                lines.get(2));
        assertTrue(lines.get(3).matches("epoch 1/3  train loss \\d\\.\\d{4} \\(\\d\\.\\d{3} bits/char\\)  val loss \\d\\.\\d{4} \\(\\d\\.\\d{3} bits/char\\)  "
                + "val acc 0\\.\\d{4}  lr 0\\.05  \\d+\\.\\d s  [\\d,]+ char/s"), trained::toString);
        List<EpochMetrics> hist = Model.load(model).history();
        assertEquals(3, hist.size());
        // A bigram model cannot learn the sentence structure, but the letters of a word follow each other: below 0.7 H.
        assertTrue(hist.getLast().valLoss() < 0.7 * h, "val loss " + hist.getLast().valLoss() + ", unigram entropy " + h);
        assertTrue(hist.getLast().valAccuracy() > 0.3, trained::toString);
    }

    @Test void theVocabularyAndInputShapeRoundTripThroughTheModelFile() throws IOException {
        Model m = Model.load(model);
        assertEquals(Vocabulary.of(corpus).toMetadata(), m.metadata().get("vocabulary"));
        assertEquals(text.toAbsolutePath().normalize().toString(), m.metadata().get("text_file"));
        assertEquals("-1,20", m.metadata().get("input_shape"));
        assertEquals(Shape.of(1, 20), m.inputShape());
        Path again = dir.resolve("again.tnn");
        m.save(again);
        assertEquals(Vocabulary.of(corpus), Vocabulary.fromMetadata(Model.load(again).metadata().get("vocabulary")));
        Path weights = dir.resolve("weights.tnn");
        m.saveWeights(weights);
        assertEquals(Vocabulary.of(corpus).toMetadata(), Model.load(weights).metadata().get("vocabulary"));
        Cli.Result i = Cli.run("inspect", model.toString());
        assertEquals(0, i.code(), i::toString);
        assertTrue(i.out().contains("vocabulary: 10,32,46,97,98,99,100,101"), i::toString);
        assertTrue(i.out().contains("input      [-1, 20]"), i::toString);
    }

    @Test void predictAndEvalPointToGenerate() {
        for (String cmd : new String[] {"predict", "eval"}) {
            Cli.Result r = cmd.equals("predict") ? Cli.run(cmd, model.toString(), text.toString()) : Cli.run(cmd, model.toString());
            assertEquals(1, r.code(), r::toString);
            assertEquals(1, r.errLines(), r::toString);
            assertTrue(r.err().contains(model + ": a character language model (trained on text), not a classifier; sample it with 'tinynn generate "),
                    r::toString);
        }
    }

    @Test void resumeContinuesOnTheRecordedText() throws IOException {
        Path copy = dir.resolve("resumed.tnn");
        Files.copy(model, copy);
        Cli.Result r = Cli.run("train", "--resume", copy.toString(), "--epochs", "4", "--progress", "none", "--threads", "1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("epoch 4/4  train loss"), r::toString);
        assertEquals(4, Model.load(copy).history().size());
        Cli.Result seq = Cli.run("train", "--resume", copy.toString(), "--epochs", "5", "--text", text.toString(), "--seq-len", "30");
        assertEquals(2, seq.code(), seq::toString);
        assertTrue(seq.err().contains("--seq-len cannot change when resuming: " + copy + " trains on sequences of 20"), seq::toString);
        Path other = Files.writeString(dir.resolve("other.txt"), corpus + "Zebra!\n");
        Cli.Result newChars = Cli.run("train", "--resume", copy.toString(), "--epochs", "5", "--text", other.toString(), "--progress", "none");
        assertEquals(1, newChars.code(), newChars::toString);
        assertTrue(newChars.err().contains(other + ": characters 'Z', '!' not in the vocabulary (the model's characters)"), newChars::toString);
    }

    @Test void theSpecMustOutputOneScorePerCharacterAndStep() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.txtpb"), """
                layers {
                  layers { type: "embedding" attrs { key: "vocab" value { i: 40 } } attrs { key: "dim" value { i: 4 } } }
                  layers { type: "dense" attrs { key: "out" value { i: 40 } } }
                }
                """);
        Cli.Result r = Cli.run("train", "--text", text.toString(), "--arch", wrong.toString(), "--seq-len", "20", "--progress", "none",
                "--out", dir.resolve("wrong.tnn").toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains(wrong + ": the network outputs [1, 20, 40] for [1, 20] characters; a character model outputs [N, T, vocabulary] = [1, 20, "
                + Vocabulary.of(corpus).size() + "]"), r::toString);
    }

    @Test void trainTextErrors() throws IOException {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "na\u00efve text".getBytes(StandardCharsets.ISO_8859_1));
        Cli.Result bad = Cli.run("train", "--text", latin1.toString(), "--progress", "none", "--out", dir.resolve("x.tnn").toString());
        assertEquals(1, bad.code(), bad::toString);
        assertEquals(1, bad.errLines(), bad::toString);
        assertTrue(bad.err().contains(latin1 + ": not UTF-8 text: invalid byte sequence at byte offset 2 (0xEF)"), bad::toString);
        Cli.Result lenet = Cli.run("train", "--text", text.toString(), "--arch", "lenet5");
        assertEquals(2, lenet.code(), lenet::toString);
        assertTrue(lenet.err().contains("--arch lenet5 classifies images; --text trains --arch charlstm"), lenet::toString);
        Cli.Result seq = Cli.run("train", "--data", "mnist", "--seq-len", "10");
        assertEquals(2, seq.code(), seq::toString);
        assertTrue(seq.err().contains("--seq-len applies to --text only"), seq::toString);
        Cli.Result noText = Cli.run("train", "--arch", "charlstm");
        assertEquals(2, noText.code(), noText::toString);
        assertTrue(noText.err().contains("--arch charlstm is a character language model: pass --text FILE"), noText::toString);
        Cli.Result both = Cli.run("train", "--text", text.toString(), "--data", "mnist");
        assertEquals(2, both.code(), both::toString);
        assertTrue(both.err().contains("choose one training data source"), both::toString);
        Cli.Result classes = Cli.run("train", "--text", text.toString(), "--classes", "3");
        assertEquals(2, classes.code(), classes::toString);
        assertTrue(classes.err().contains("--classes applies to image data, not --text"), classes::toString);
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "abc");
        Cli.Result shortText = Cli.run("train", "--text", tiny.toString(), "--arch", spec.toString(), "--progress", "none",
                "--out", dir.resolve("y.tnn").toString());
        assertEquals(1, shortText.code(), shortText::toString);
        assertTrue(shortText.err().contains(tiny + ": the text has 3 characters; a sequence length of 100 needs at least 101"), shortText::toString);
    }
}
