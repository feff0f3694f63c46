package io.tapflow.cli;

import io.tapflow.dsl.TapflowException;

/** What the CLI prints for an error, and its exit code: 1 for a problem with input or servers, 70 for a bug. */
public final class ErrorMessages {
    public static final int USER_ERROR = 1;
    /** sysexits' EX_SOFTWARE; not 3, which 'tapflow verify' exits with when the target differs. */
    static final int INTERNAL_ERROR = 70;

    private ErrorMessages() {}

    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TapflowException) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage() + " (this is a tapflow bug; run with -v for details)";
    }

    public static int exitCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TapflowException) {
                return USER_ERROR;
            }
        }
        return INTERNAL_ERROR;
    }
}
