package io.tapflow.udf.script;

import io.tapflow.dsl.TapflowException;

/** An error of a DSL call in a script, with the script line of the call when the host knows it (0 otherwise). */
final class ScriptCallException extends TapflowException {
    private static final long serialVersionUID = 1L;
    private final int line;

    ScriptCallException(int line, TapflowException error) {
        super(error.getMessage(), error);
        this.line = line;
    }

    int line() {
        return line;
    }
}
