package io.tapflow.flink.verify;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Turns lasting differences into the changes that fix them, written through the pipeline's own sink writer (same key,
 * same type mapping): the source's current row for a missing or different one, a delete for an extra one.
 */
final class Repair {
    private Repair() {}

    /** The change that repairs a difference. */
    static ChangeEvent change(Found f, String targetSourceTable) {
        long now = System.currentTimeMillis();
        if (f.kind() == Difference.Kind.EXTRA) {
            KeyedRow a = f.actual();
            return new ChangeEvent(Op.DELETE, targetSourceTable, new LinkedHashMap<>(a.keyValues()), new LinkedHashMap<>(a.keyValues()), null, now);
        }
        KeyedRow e = f.expected();
        return new ChangeEvent(Op.INSERT, e.sourceTable(), new LinkedHashMap<>(e.keyValues()), null, new LinkedHashMap<>(e.row()), now);
    }

    /** How a change reads in a report: "upsert {id=3}" or "delete {id=9}". */
    static String describe(ChangeEvent change) {
        return (change.op() == Op.DELETE ? "delete " : "upsert ") + RowValues.format(change.key());
    }

    /** Writes the changes and flushes; a failed write is an error, never skipped. */
    static void write(SinkWriter<ChangeEvent> writer, List<ChangeEvent> changes) {
        try (writer) {
            for (ChangeEvent c : changes) {
                writer.write(c, null);
            }
            writer.flush(true);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new TapflowException("repair failed: " + e.getMessage(), e);
        }
    }

    static List<ChangeEvent> changes(List<Found> lasting, String targetSourceTable) {
        List<ChangeEvent> changes = new ArrayList<>(lasting.size());
        lasting.forEach(f -> changes.add(change(f, targetSourceTable)));
        return changes;
    }
}
