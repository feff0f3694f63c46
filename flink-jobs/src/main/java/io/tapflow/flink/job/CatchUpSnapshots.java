package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.ResultSetSplitReader;
import io.tapflow.flink.source.query.QueryRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables a restored job meets for the first time: selected by the pipeline now (a widened pattern, or a table
 * created while the job was stopped) but absent from the schemas its restored state holds. The change stream brings
 * their changes from the restored position on only, so what they held before is read once, as a snapshot, when the
 * change stream starts, by the subtask reading it (at any parallelism, without waiting for a change: see
 * {@code ChangeStreamStart}), so the snapshot joins the same ordered stream as the table's changes: the changes
 * replayed after it carry whole rows and end at the table's state of now, as they do after a first snapshot.
 *
 * <p>A table that joined the change stream after its creation while the job ran (PostgreSQL: added to a publication
 * that lists tables) is read the same way, once, when the job takes it in.
 */
final class CatchUpSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpSnapshots.class);

    private final DataSource source;
    private final Set<String> pending;

    /** @param pending qualified names of the tables to read; empty when the job was not restored */
    CatchUpSnapshots(DataSource source, Set<String> pending) {
        this.source = source;
        this.pending = new HashSet<>(pending);
    }

    /** Whether the table still waits for its snapshot (then its schema stays out of checkpoints, see the follower). */
    boolean isPending(String table) {
        return pending.contains(table);
    }

    /** Reads every pending table (schemas from {@code tables}) into {@code out}; then none is pending. */
    void readPending(Map<String, TargetEvolution> tables, Collector<ChangeEvent> out, String logPrefix) {
        if (pending.isEmpty()) {
            return;
        }
        for (String name : pending.stream().sorted().toList()) {
            TargetEvolution table = tables.get(name);
            if (table != null) {
                long rows = read(table.source(), out);
                LOG.info("{}table {} is new to the job since its restored position: its {} rows read as a snapshot -> "
                        + "target: {}", logPrefix, name, rows, table.target().name());
            }
        }
        pending.clear();
    }

    /** Reads a table the job takes in now that was not in the change stream from its creation. */
    void readJoined(String name, TargetEvolution table, Collector<ChangeEvent> out, String logPrefix) {
        long rows = read(table.source(), out);
        LOG.info("{}table {} joined the change stream after its creation: its {} rows read as a snapshot -> target: {}",
                logPrefix, name, rows, table.target().name());
    }

    private long read(TableSchema table, Collector<ChangeEvent> out) {
        QueryRows rows = ConnectorFactories.source(source.type()).tableRows(source, table);
        if (rows == null) {
            return 0;
        }
        long count = 0;
        try (Connection c = rows.connect(); PreparedStatement ps = rows.prepare(c); ResultSet rs = ps.executeQuery()) {
            ResultSetSplitReader.RowReader reader = rows.rowReader();
            long now = System.currentTimeMillis();
            while (rs.next()) {
                // As INSERTs, not snapshot READs: these rows sit among changes, so they must take the changes' keyed
                // path to the sink, never the forward path of a first snapshot's rows (SnapshotRowsSplit), where a
                // later change of the same key, written by another sink subtask, could overtake them.
                ChangeEvent row = reader.read(rs, now);
                out.collect(new ChangeEvent(Op.INSERT, row.table(), row.key(), null, row.after(), row.sourceTsMs()));
                count++;
            }
            return count;
        } catch (SQLException e) {
            throw rows.describe(e);
        }
    }
}
