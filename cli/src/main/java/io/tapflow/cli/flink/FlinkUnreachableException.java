package io.tapflow.cli.flink;

import io.tapflow.dsl.TapflowException;

/** No Flink REST API answers at the URL. */
public final class FlinkUnreachableException extends TapflowException {
    private static final long serialVersionUID = 1L;

    public FlinkUnreachableException(String url, Throwable cause) {
        super("no Flink cluster answers at " + url + " (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "); start the local one with "
                + "'tapflow cluster start', or point to yours with --flink http://host:port or TAPFLOW_FLINK_URL", cause);
    }
}
