package io.tapflow.flink.step;

import io.tapflow.dsl.TapflowException;

/** A row a step cannot process, e.g. a value that does not convert to the requested type. */
public class StepException extends TapflowException {
    private static final long serialVersionUID = 1L;

    public StepException(String message, Throwable cause) {
        super(message, cause);
    }
}
