package io.tapflow.dsl;

/** Root of every error tapflow reports to a user: the message alone must say what is wrong, where, and what is allowed. */
public class TapflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TapflowException(String message) {
        super(message);
    }

    public TapflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
