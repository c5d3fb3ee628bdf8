package tinynn.serialization;

/** Low-level exceptions as the one-line cause inside a {@link ModelFileException} message. */
final class Causes {

    /** How a source without a name (a stream) is called in messages. */
    static final String STREAM = "<stream>";

    private Causes() {}

    /** The exception's message on one line, at most 300 characters; its class name if it has no message. */
    static String describe(Throwable e) {
        String s = oneLine(e);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /**
     * As {@link #describe} but only the first sentence, at most 200 characters: protobuf and the file system append
     * long explanations after it.
     */
    static String firstSentence(Throwable e) {
        String s = oneLine(e);
        int sentence = s.indexOf(". ");
        if (sentence > 0) {
            s = s.substring(0, sentence); // protobuf appends long explanations after the first sentence
        } else if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return s.replace('\r', ' ').replace('\n', ' ').trim();
    }
}
