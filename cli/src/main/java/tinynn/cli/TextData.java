package tinynn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tinynn.data.text.TextCorpus;
import tinynn.data.text.TextWindows;
import tinynn.data.text.Vocabulary;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * The text of a {@code tinynn train --text} run: the corpus with its vocabulary (a resumed model's own), cut into
 * sequences of {@code seqLen} characters, some held out for validation.
 */
record TextData(Path file, TextCorpus corpus, int seqLen, TextWindows train, TextWindows validation) {

    /** The text the options name, else the resumed model's recorded one; the resumed model's vocabulary and sequence length. */
    static TextData load(TrainOptions o, Model resumed) throws IOException {
        Path file = o.text;
        int seqLen = o.seqLen != null ? o.seqLen : TrainOptions.DEFAULT_SEQ_LEN;
        Vocabulary vocabulary = null;
        if (resumed != null) {
            vocabulary = ModelInfo.vocabulary(resumed, o.resume);
            int own = resumed.inputShape() != null && resumed.inputShape().rank() == 2 ? resumed.inputShape().dim(1) : -1;
            if (o.seqLen != null && own > 0 && o.seqLen != own) {
                throw o.usage("--seq-len cannot change when resuming: " + o.resume + " trains on sequences of " + own);
            }
            if (own > 0) seqLen = own;
            if (file == null) {
                String recorded = resumed.metadata().get(ModelInfo.TEXT_FILE);
                if (recorded == null) throw o.usage(o.resume + " records no text file; pass --text FILE");
                file = Path.of(recorded);
                if (!Files.exists(file)) {
                    throw new Failure(file + ": no longer exists (recorded in " + o.resume + "); pass --text with its new location");
                }
            }
        }
        TextCorpus corpus = vocabulary != null ? TextCorpus.read(file, vocabulary) : TextCorpus.read(file);
        if (o.valSplit == null) o.valSplit = TrainOptions.TEXT_VAL_SPLIT;
        long seed = resumed != null ? resumed.parameters().seed() : o.seed != null ? o.seed : TrainOptions.DEFAULT_SEED;
        TextWindows.Split split = TextWindows.split(corpus, seqLen, o.valSplit, seed);
        return new TextData(file, corpus, seqLen, split.train(), split.validation());
    }

    /** Ids or targets as an [N, T] tensor of the model's dtype. */
    static Tensor tensor(float[] values, int count, int length, DType dtype) {
        Tensor t = Tensor.zeros(dtype, Shape.of(count, length));
        if (t.isF32()) System.arraycopy(values, 0, t.f32(), 0, values.length);
        else for (int i = 0; i < values.length; i++) t.f64()[i] = values[i];
        return t;
    }
}
