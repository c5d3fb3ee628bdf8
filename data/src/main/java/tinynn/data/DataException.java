package tinynn.data;

/**
 * A data file is missing, malformed, or failed verification.
 *
 * <p>Unchecked so that loaders compose with lambdas; the CLI catches it and prints only the
 * message, which is therefore written for the user: it names the file, says what is wrong and
 * what to do, on one line. The fetcher's summary is the one exception: its first line is the
 * advice and the following lines list every source it tried.
 */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
