package io.tapflow.flink.job;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import io.tapflow.dsl.TapflowException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a job failure may heal, and the message worth showing for one. A lost
 * connection, a timeout, a deadlock or a server shutting down may heal: Flink restarts the job (a bounded number of
 * times). A value refused by tapflow's value rules, a type it cannot convert, or a write the target rejects for the data
 * in it (NOT NULL, constraint, type or length violations) comes back after every restart, since a restored job replays
 * the same rows: it fails the job at once, with its message, as a failing UDF does.
 */
public final class JobFailures {
    private static final Logger LOG = LoggerFactory.getLogger(JobFailures.class);
    /** SQLSTATE classes of failures that may go away: connection, transaction rollback (deadlock), resources, operator intervention, system. */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57", "58");
    /** SQLSTATE classes caused by the data or the schema: cardinality, data exception, integrity constraint, syntax or access rule, check option, unsupported feature. */
    private static final Set<String> DATA_SQL_CLASSES = Set.of("21", "22", "23", "42", "44", "0A");
    /** MySQL/MariaDB report these data errors with the generic SQLSTATE HY000 or 01000: truncated, no default, incorrect value. */
    private static final Set<Integer> MYSQL_DATA_ERRORS = Set.of(1265, 1364, 1366);

    private JobFailures() {}

    /** The message worth showing for a job failure: tapflow's own error if there is one, else the root cause. */
    public static String rootMessage(Throwable failure) {
        var own = ExceptionUtils.findThrowable(failure, TapflowException.class);
        if (own.isPresent()) {
            return own.get().getMessage();
        }
        Throwable root = ExceptionUtils.stripExecutionException(failure);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Throws a failure that stops the job without restarts when {@code failure} cannot heal; returns otherwise, and the
     * caller rethrows {@code failure} as it is. The message is tapflow's own if the chain has one, else the top
     * exception's, which the call site wrote to say where it happened.
     */
    public static void failFastIfFatal(Throwable failure) {
        if (isFatal(failure)) {
            throw fatal(failure);
        }
    }

    /**
     * A failure while converting the values of one row that was read: it happens again for that row after a restore, so
     * unless it is a lost connection it fails the job at once; one that is not tapflow's own error is described as one
     * ({@code where} names the table).
     */
    public static RuntimeException rowFailure(String where, Exception failure) {
        RuntimeException described = failure instanceof TapflowException t ? t
                : new TapflowException(where + ": " + failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
        if (chain(failure).stream().noneMatch(JobFailures::isTransient)) {
            throw fatal(described);
        }
        return described;
    }

    private static SuppressRestartsException fatal(Throwable failure) {
        // The cause stays out of the job failure: Flink ships a chain it cannot deserialize as text, and then neither
        // the restart strategy nor the client sees this exception. The log keeps the whole chain.
        LOG.error("job failure that a restart cannot heal", failure);
        var own = ExceptionUtils.findThrowable(failure, TapflowException.class);
        TapflowException shown = own.filter(t -> t.getCause() == null)
                .orElseGet(() -> new TapflowException(own.map(Throwable::getMessage).orElse(failure.getMessage())));
        return new SuppressRestartsException(shown);
    }

    /** True when restarting the job would only meet the same failure again. */
    public static boolean isFatal(Throwable failure) {
        List<Throwable> chain = chain(failure);
        if (chain.stream().anyMatch(t -> t instanceof SuppressRestartsException || isTransient(t))) {
            return false; // already fatal as it is, or it may heal
        }
        List<SQLException> sql = chain.stream().filter(t -> t instanceof SQLException).map(t -> (SQLException) t).toList();
        if (!sql.isEmpty()) {
            return sql.stream().anyMatch(JobFailures::isDataError);
        }
        if (chain.stream().anyMatch(t -> t instanceof MongoWriteException
                || t instanceof MongoBulkWriteException b && !b.getWriteErrors().isEmpty())) {
            return true;
        }
        return chain.stream().anyMatch(t -> t instanceof TapflowException);
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException e) {
            String state = e.getSQLState();
            return state != null && state.length() >= 2 && TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2));
        }
        return t instanceof SocketException || t instanceof InterruptedIOException || t instanceof EOFException
                || t instanceof TimeoutException || t instanceof MongoSocketException || t instanceof MongoTimeoutException
                || t instanceof MongoServerUnavailableException || t instanceof MongoWriteConcernException;
    }

    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() >= 2 && DATA_SQL_CLASSES.contains(state.substring(0, 2))
                || MYSQL_DATA_ERRORS.contains(e.getErrorCode());
    }

    /** The causes of a failure, with the exceptions a JDBC batch chains through {@link SQLException#getNextException()}. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
            if (t instanceof SQLException sql) {
                for (SQLException next = sql.getNextException(); next != null && !chain.contains(next); next = next.getNextException()) {
                    chain.add(next);
                }
            }
        }
        return chain;
    }
}
