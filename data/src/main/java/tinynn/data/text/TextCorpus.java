package tinynn.data.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tinynn.data.DataException;

/**
 * A UTF-8 text as a character model trains on it: its vocabulary and the text as vocabulary ids, one per
 * code point. A leading byte-order mark is not part of the text.
 *
 * @param source what errors name: the file, or a description of generated text
 */
public record TextCorpus(String source, Vocabulary vocabulary, int[] ids) {

    /** Reads a UTF-8 file; the vocabulary is its distinct characters. Invalid UTF-8 is an error naming the byte offset. */
    public static TextCorpus read(Path file) throws IOException {
        return of(decode(file), file.toString());
    }

    /**
     * Reads a UTF-8 file to encode with a given vocabulary (a saved model's); a character outside it is an
     * error naming the characters.
     */
    public static TextCorpus read(Path file, Vocabulary vocabulary) throws IOException {
        return of(decode(file), file.toString(), vocabulary);
    }

    /** A text held in memory; the vocabulary is its distinct characters. */
    public static TextCorpus of(String text, String source) {
        if (text.isEmpty()) throw new DataException(source + ": the text is empty; a character model needs text to learn from");
        return of(text, source, Vocabulary.of(text));
    }

    public static TextCorpus of(String text, String source, Vocabulary vocabulary) {
        try {
            return new TextCorpus(source, vocabulary, vocabulary.encode(text));
        } catch (IllegalArgumentException e) {
            throw new DataException(source + ": " + e.getMessage() + " (the model's characters); train a new model on this text");
        }
    }

    /** Characters (code points) in the text. */
    public int length() { return ids.length; }

    /**
     * The entropy of the text's character frequencies in nats, −Σ p·ln p: the loss per character of the best
     * model that ignores context, the baseline a sequence model must beat.
     */
    public double unigramEntropy() {
        long[] counts = new long[vocabulary.size()];
        for (int id : ids) counts[id]++;
        double h = 0;
        for (long c : counts) {
            if (c == 0) continue;
            double p = (double) c / ids.length;
            h -= p * Math.log(p);
        }
        return h;
    }

    /** The file as text: strict UTF-8, so a Latin-1 or binary file is reported instead of read as replacement characters. */
    static String decode(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) r = d.flush(out);
        if (r.isError()) {
            throw new DataException(file + ": not UTF-8 text: invalid byte sequence at byte offset " + in.position()
                    + String.format(" (0x%02X)", bytes[in.position()] & 0xFF) + "; convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        }
        out.flip();
        if (out.length() > 0 && out.charAt(0) == '\uFEFF') out.position(1);
        return out.toString();
    }
}
