package io.tapflow.cli.flink;

import io.tapflow.dsl.TapflowException;

/** The Flink cluster refused a request; the message carries Flink's own reason, without its stack trace. */
public final class FlinkRequestException extends TapflowException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public FlinkRequestException(String url, String what, int status, String reason) {
        super("the Flink cluster at " + url + " could not " + what + " (HTTP " + status + "): " + reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
