package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.model.Model;

/**
 * A --text run made ready to train: its text, and the character model built from --arch (charlstm or a spec) or
 * resumed, checked against the text's vocabulary, with the metadata generate needs (vocabulary, text file, input shape)
 * and the run's record. {@code tinynn train} and {@code tinynn-spark train} both start here and then train it their
 * own way.
 *
 * @param arch  what the header line calls the network
 * @param batch --batch-size, else the resumed run's, the spec's or charlstm's
 */
record TextRun(TextData data, Model model, String arch, int batch) {

    /** {@code model}: the model to resume, or null for a new one of {@code dt}. */
    static TextRun prepare(TrainOptions o, Model model, Backend be, DType dt, Path target) throws IOException {
        TextData d = TextData.load(o, model);
        int vocab = d.corpus().vocabulary().size();
        String archName;
        int specBatch = 0;
        Map<String, String> specMetadata = Map.of();
        if (model == null) {
            Architectures.Spec a;
            if (o.arch.equals("charlstm")) {
                try {
                    a = Architectures.charlstm(vocab, o.hidden != null ? o.hidden : Architectures.CHARLSTM_HIDDEN);
                } catch (IllegalArgumentException e) {
                    throw o.usage(e.getMessage());
                }
            } else {
                a = Architectures.fromFile(Path.of(o.arch));
            }
            archName = a.name();
            specBatch = a.batchSize();
            specMetadata = a.metadata();
            model = TrainCommand.newModel(o, a, be, dt, Shape.of(1, d.seqLen()));
        } else {
            archName = TrainCommand.resumedName(o);
            TrainCommand.resumeOptimizer(o, model);
        }
        Shape out;
        try {
            out = ModelInfo.layerShapes(model, d.seqLen()).getLast();
        } catch (GraphException e) {
            throw new Failure((o.resume != null ? o.resume.toString() : o.arch) + ": " + e.getMessage());
        }
        if (out.rank() != 3 || out.dim(1) != d.seqLen() || out.dim(2) != vocab) {
            throw new Failure((o.resume != null ? o.resume.toString() : o.arch) + ": the network outputs " + out + " for [1, " + d.seqLen()
                    + "] characters; a character model outputs [N, T, vocabulary] = [1, " + d.seqLen() + ", " + vocab
                    + "] (embedding first, return_sequences: true, a dense layer of " + vocab + " last)");
        }
        int batch = o.batchSize != null ? o.batchSize : model.batchSize() > 0 ? model.batchSize() : specBatch > 0 ? specBatch : Architectures.CHARLSTM_BATCH;
        TrainCommand.checkEpochs(o, model, target);

        Map<String, String> meta = model.metadata();
        meta.putAll(specMetadata);
        meta.put(ModelInfo.DATASET, d.file().getFileName().toString());
        meta.put(ModelInfo.VOCABULARY, d.corpus().vocabulary().toMetadata());
        meta.put(ModelInfo.TEXT_FILE, d.file().toAbsolutePath().normalize().toString());
        meta.put(ModelInfo.INPUT_SHAPE, "-1," + d.seqLen());
        model.trainingRun(o.record());
        model.trainingControl(o.control());
        return new TextRun(d, model, archName, batch);
    }

    /** The lines after the header: the text's length, vocabulary and unigram entropy, and the sequences it makes. */
    void describe(PrintWriter w) {
        double h = data.corpus().unigramEntropy();
        w.printf(Locale.ROOT, "text: %,d characters, vocabulary %d, unigram entropy %.4f nats (%.3f bits) per character%n",
                data.corpus().length(), data.corpus().vocabulary().size(), h, h / Math.log(2));
        w.printf(Locale.ROOT, "data: %,d training sequences of %d characters, %,d validation sequences%n", data.train().count(), data.seqLen(),
                data.validation() != null ? data.validation().count() : 0);
    }
}
