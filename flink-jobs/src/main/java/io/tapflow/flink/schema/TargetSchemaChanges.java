package io.tapflow.flink.schema;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A column dropped or renamed in a target table, as an event that travels with the rows to the sink: the sink writes
 * the rows before it, then makes the change, so no row of the old shape still buffered loses the values of a column
 * the change takes away. (Added and widened columns are made before their rows leave the schema-change follower.)
 */
public final class TargetSchemaChanges {
    private TargetSchemaChanges() {}

    /** Whether the change is made by the sink, in order with the rows, rather than ahead of them. */
    public static boolean inOrder(SchemaChange change) {
        return change instanceof SchemaChange.DropColumn || change instanceof SchemaChange.RenameColumn;
    }

    /** The event of a change for which {@link #inOrder} holds, for the source table's target table. */
    public static ChangeEvent event(String sourceTable, SchemaChange change, long sourceTsMs) {
        Map<String, Object> what = new LinkedHashMap<>();
        if (change instanceof SchemaChange.DropColumn drop) {
            what.put("drop", drop.name());
        } else if (change instanceof SchemaChange.RenameColumn rename) {
            what.put("from", rename.from());
            what.put("to", rename.to());
        } else {
            throw new IllegalArgumentException(change.describe() + " is made ahead of the rows, not by the sink");
        }
        return new ChangeEvent(Op.ALTER_TARGET, sourceTable, what, null, null, sourceTsMs);
    }

    /** The change an {@link Op#ALTER_TARGET} event carries. */
    public static SchemaChange of(ChangeEvent event) {
        Map<String, Object> what = event.key();
        return what.containsKey("drop") ? new SchemaChange.DropColumn((String) what.get("drop"))
                : new SchemaChange.RenameColumn((String) what.get("from"), (String) what.get("to"));
    }
}
