package tinynn.cli;

/** A failure the user can fix (exit status 1); the message is printed as is, on one line. */
final class Failure extends RuntimeException {
    Failure(String message) { super(message); }

    Failure(String message, Throwable cause) { super(message, cause); }
}
