package tinynn.cli;

import tinynn.data.text.TextWindows;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * A character model's loss (mean −ln p of the next character, nats per character) and next-character
 * accuracy over text windows, in chunks of about {@link #CHUNK_CHARS} characters.
 */
final class TextEvaluation {
    /** Characters per forward pass: bounds the recurrent workspaces ([n, T, 6H] for an LSTM) of evaluation. */
    static final int CHUNK_CHARS = 4096;

    private TextEvaluation() {}

    /** Scores the model on the windows; {@code lock} is held for each chunk, so a checkpoint never sees the model mid-forward. */
    static tinynn.runtime.train.Trainer.Score run(Model model, TextWindows w, Object lock) {
        int t = w.length(), chunk = Math.max(1, CHUNK_CHARS / t);
        double lossSum = 0;
        long correct = 0, count = 0;
        for (int start = 0; start < w.count(); start += chunk) {
            int n = Math.min(chunk, w.count() - start);
            float[] ids = java.util.Arrays.copyOfRange(w.inputs(), start * t, (start + n) * t);
            Tensor x = TextData.tensor(ids, n, t, model.dtype());
            synchronized (lock) {
                Tensor logits = model.predict(x);
                int v = logits.shape().dim(logits.shape().rank() - 1);
                for (int p = 0; p < n * t; p++) {
                    int target = (int) w.targets()[start * t + p];
                    double max = Double.NEGATIVE_INFINITY;
                    int best = 0;
                    for (int c = 0; c < v; c++) {
                        double z = logits.get(p * v + c);
                        if (z > max) {
                            max = z;
                            best = c;
                        }
                    }
                    double sum = 0;
                    for (int c = 0; c < v; c++) sum += Math.exp(logits.get(p * v + c) - max);
                    lossSum += max + Math.log(sum) - logits.get(p * v + target);
                    if (best == target) correct++;
                    count++;
                }
            }
        }
        return new tinynn.runtime.train.Trainer.Score(lossSum / count, (double) correct / count);
    }
}
