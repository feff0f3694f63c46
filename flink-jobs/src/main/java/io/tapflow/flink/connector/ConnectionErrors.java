package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import java.net.UnknownHostException;
import java.util.Optional;

/** Connection failures the JDBC drivers report in general words, said in the user's terms. */
public final class ConnectionErrors {
    private ConnectionErrors() {}

    /**
     * An unknown host name: the drivers say only "The connection attempt failed" or "Communications link failure",
     * with the {@link UnknownHostException} somewhere among the causes.
     */
    public static Optional<TapflowException> unresolvedHost(DataSource ds, String where, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return Optional.of(new TapflowException(where + ": the host name '" + ds.get("host")
                        + "' could not be resolved; check the datasource's host option", e));
            }
        }
        return Optional.empty();
    }
}
