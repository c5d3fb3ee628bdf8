package tinynn.base;

/**
 * The base of every error tinynn reports to its user: a graph that cannot be built, a data or model file that
 * is missing, malformed or fails verification, an image that cannot be decoded.
 *
 * <p>The message is written for the user: one line that names the layer, op or file, says what is wrong and,
 * where it can, what to do. A program (the CLI) may therefore print {@link #getMessage()} as it is, and treat
 * every other exception as a bug. Unchecked, so that loaders and graph builders compose with lambdas.
 */
public abstract class TinynnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected TinynnException(String message) {
        super(message);
    }

    protected TinynnException(String message, Throwable cause) {
        super(message, cause);
    }
}
