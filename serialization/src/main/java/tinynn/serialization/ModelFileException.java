package tinynn.serialization;

import java.util.Objects;
import tinynn.base.TinynnException;

/**
 * The only exception thrown when a model file cannot be read (and the exception thrown when one cannot be
 * written because of an I/O problem).
 *
 * <p>It is <b>unchecked</b>: a model that cannot be loaded is almost always fatal for the caller (the CLI
 * prints {@link #getMessage()} and exits), and an unchecked type composes with lambdas and streams. Every
 * method that throws it says so in its Javadoc.
 *
 * <p>The message is always a single line of the form {@code "<source>: <what is wrong>; <what to do>"}, e.g.
 * {@code "model.tnn: checksum mismatch (file is corrupt or truncated); re-save the model or restore it from a
 * backup"}, suitable for showing to a user as is. {@link #reason()} classifies the failure for programs.
 */
public final class ModelFileException extends TinynnException {

    /** Why a model file could not be read or written. */
    public enum Reason {
        /** The file does not exist (or its directory does not). */
        NOT_FOUND,
        /** An operating-system I/O error (permissions, disk full, device error, ...). */
        IO,
        /** The file is larger than the size limit, or holds more layers or graph nodes than the format allows. */
        TOO_LARGE,
        /** The bytes are not a tinynn model file at all (empty, garbage, another format). */
        NOT_A_MODEL,
        /** The checksum does not match, or the protobuf encoding is broken: the file was damaged. */
        CORRUPT,
        /** The file was written by a newer tinynn using a format version this reader does not know. */
        TOO_NEW,
        /** The file decodes but violates an invariant of the format (e.g. a tensor's size disagrees with its shape). */
        INVALID
    }

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String source;

    /**
     * @param reason classification of the failure
     * @param source the file name or stream description the user knows the data by
     * @param problem what is wrong (no trailing punctuation)
     * @param advice what the user should do about it
     */
    public ModelFileException(Reason reason, String source, String problem, String advice) {
        this(reason, source, problem, advice, null);
    }

    /** As {@link #ModelFileException(Reason, String, String, String)}, keeping the low-level cause for debugging. */
    public ModelFileException(Reason reason, String source, String problem, String advice, Throwable cause) {
        super(oneLine(source) + ": " + oneLine(problem) + "; " + oneLine(advice), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.source = oneLine(source);
    }

    /** Classification of the failure. */
    public Reason reason() {
        return reason;
    }

    /** The file name or stream description given to the reader or writer. */
    public String source() {
        return source;
    }

    private static String oneLine(String s) {
        if (s == null || s.isEmpty()) {
            return "<unknown>";
        }
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
