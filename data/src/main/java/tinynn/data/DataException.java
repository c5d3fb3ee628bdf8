package tinynn.data;

import tinynn.base.TinynnException;

/**
 * A data file is missing, malformed, or failed verification.
 *
 * <p>Unchecked so that loaders compose with lambdas; the CLI catches it and prints only the
 * message, which is therefore written for the user: it names the file, says what is wrong and
 * what to do, on one line (the fetcher's summary too: it lists every source it tried on that line).
 */
public final class DataException extends TinynnException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
