package tinynn.serialization.onnx;

import tinynn.base.TinynnException;

/**
 * The one exception thrown when a model cannot be exported to ONNX or an ONNX file cannot be imported.
 *
 * <p>Unchecked, like {@link tinynn.serialization.ModelFileException}: the CLI prints {@link #getMessage()} as it
 * is and exits. The message is always a single line of the form {@code "<source>: <what is wrong>; <what to do>"},
 * naming the layer (export) or the node (import), e.g. {@code "model.tnn: layer attention3 (attention) has no ONNX
 * equivalent; remove it or keep the model in .tnn form"}.
 */
public final class OnnxException extends TinynnException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source the file, model or stream the user knows the data by
     * @param problem what is wrong, naming the layer or node (no trailing punctuation)
     * @param advice what the user should do about it
     */
    public OnnxException(String source, String problem, String advice) {
        this(source, problem, advice, null);
    }

    /** As {@link #OnnxException(String, String, String)}, keeping the low-level cause for debugging. */
    public OnnxException(String source, String problem, String advice, Throwable cause) {
        super(oneLine(source) + ": " + oneLine(problem) + "; " + oneLine(advice), cause);
    }

    private static String oneLine(String s) {
        if (s == null || s.isEmpty()) return "<unknown>";
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
