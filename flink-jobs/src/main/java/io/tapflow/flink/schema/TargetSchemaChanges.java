package io.tapflow.flink.schema;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A column dropped or renamed in a target table, as an event that travels with the rows to the sink: the sink writes
 * the rows before it, then makes the change, so no row of the old shape still buffered loses the values of a column
 * the change takes away. (Added and widened columns are made before their rows leave the schema-change follower, but
 * for a column with a DEFAULT that MongoDB's documents that existed take: it travels so too, so that no buffered
 * document of the old shape replaces one that took it.)
 * A TRUNCATE on its way to the target travels the same way ({@link #truncate}). At parallelism &gt; 1 the event is
 * copied to every sink subtask ({@link #copyFor}); each writes what it holds, and the change is made once all have
 * ({@code SchemaChangeBarrier}).
 */
public final class TargetSchemaChanges {
    private static final String ID = "id";
    private static final String TARGET = "target";
    private static final String SUBTASK = "subtask";
    private static final String ROUTE_KEY = "routeKey";
    private static final String FLUSH_ONLY = "flushOnly";
    private static final String SENDERS = "senders";
    private static final String WHERE_FIELD = "whereField";
    private static final String WHERE_VALUE = "whereValue";
    private TargetSchemaChanges() {}

    /** Whether the change is made by the sink, in order with the rows, rather than ahead of them. */
    public static boolean inOrder(SchemaChange change) {
        return change instanceof SchemaChange.DropColumn || change instanceof SchemaChange.RenameColumn;
    }

    /** The event of a change for which {@link #inOrder} holds, for the source table's target table. */
    public static ChangeEvent event(String sourceTable, String targetTable, SchemaChange change, long sourceTsMs) {
        Map<String, Object> what = new LinkedHashMap<>();
        // Tells the copies of one change apart from those of another (and of the same change replayed after a restart).
        what.put(ID, UUID.randomUUID().toString());
        what.put(TARGET, targetTable);
        if (change instanceof SchemaChange.DropColumn drop) {
            what.put("drop", drop.name());
        } else if (change instanceof SchemaChange.RenameColumn rename) {
            what.put("from", rename.from());
            what.put("to", rename.to());
        } else if (change instanceof SchemaChange.AddColumn add && add.defaultValue() != null) {
            // A target whose documents that existed take the DEFAULT once the rows before it are written (MongoDB).
            Column c = add.column();
            what.put("add", c.name());
            what.put("default", add.defaultValue());
            what.put("dataType", c.dataType());
            what.put("columnType", c.columnType());
            what.put("unsigned", Boolean.toString(c.unsigned()));
        } else {
            throw new IllegalArgumentException(change.describe() + " is made ahead of the rows, not by the sink");
        }
        return new ChangeEvent(Op.ALTER_TARGET, sourceTable, what, null, null, sourceTsMs);
    }

    /**
     * A source table's TRUNCATE as the event that empties its target table, told apart from others like a column
     * change (the copies of one TRUNCATE at parallelism &gt; 1 are counted by it).
     */
    public static ChangeEvent truncate(ChangeEvent truncate, String targetTable) {
        return truncate(truncate, targetTable, TruncateScope.WHOLE_TABLE);
    }

    /** As {@link #truncate(ChangeEvent, String)}, deleting only the target rows in {@code scope} (a union's). */
    public static ChangeEvent truncate(ChangeEvent truncate, String targetTable, TruncateScope scope) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put(ID, UUID.randomUUID().toString());
        what.put(TARGET, targetTable);
        if (!scope.wholeTable()) {
            what.put(WHERE_FIELD, scope.field());
            what.put(WHERE_VALUE, scope.value());
        }
        return new ChangeEvent(Op.TRUNCATE, truncate.table(), what, null, null, truncate.sourceTsMs());
    }

    /** Whether the event goes to every sink subtask and is made once all have written the rows before it. */
    public static boolean inOrder(ChangeEvent event) {
        return event.op() == Op.ALTER_TARGET || event.op() == Op.TRUNCATE;
    }

    /**
     * The copy of an {@link Op#ALTER_TARGET} or {@link Op#TRUNCATE} event for one sink subtask: {@code routeKey} is a key the job's keyed
     * exchange sends to that subtask.
     */
    public static ChangeEvent copyFor(ChangeEvent event, int subtask, String routeKey) {
        Map<String, Object> what = new LinkedHashMap<>(event.key());
        what.put(SUBTASK, Integer.toString(subtask));
        what.put(ROUTE_KEY, routeKey);
        return new ChangeEvent(event.op(), event.table(), what, null, null, event.sourceTsMs());
    }

    /** The key a copy made by {@link #copyFor} is routed by. */
    public static String routeKey(ChangeEvent event) {
        return (String) event.key().get(ROUTE_KEY);
    }

    /** The sink subtask a copy made by {@link #copyFor} is for; -1 for the event itself. */
    public static int subtask(ChangeEvent event) {
        Object subtask = event.key().get(SUBTASK);
        return subtask == null ? -1 : Integer.parseInt((String) subtask);
    }

    /** What tells this change from others. */
    public static String id(ChangeEvent event) {
        return (String) event.key().get(ID);
    }

    /** The target table the change is for. */
    public static String targetTable(ChangeEvent event) {
        return (String) event.key().get(TARGET);
    }

    /**
     * The TRUNCATE as each of {@code senders} subtasks sends it on towards the sink, each behind its own rows (the
     * last operators of a pipeline's lookups): a sink subtask has the rows before it once it met all their copies.
     */
    public static ChangeEvent sentBy(ChangeEvent truncate, int senders) {
        Map<String, Object> what = new LinkedHashMap<>(truncate.key());
        what.put(SENDERS, Integer.toString(senders));
        return new ChangeEvent(truncate.op(), truncate.table(), what, null, null, truncate.sourceTsMs());
    }

    /** How many copies of the change each sink subtask meets ({@link #sentBy}); 1 where one subtask sent it. */
    public static int senders(ChangeEvent event) {
        Object senders = event.key().get(SENDERS);
        return senders == null ? 1 : Integer.parseInt((String) senders);
    }

    /** The event that has a sink write what it holds, the change being made by someone else once every sink has. */
    public static ChangeEvent flushOnly(ChangeEvent event) {
        Map<String, Object> what = new LinkedHashMap<>(event.key());
        what.put(FLUSH_ONLY, "true");
        return new ChangeEvent(event.op(), event.table(), what, null, null, event.sourceTsMs());
    }

    /** Whether the sink only writes what it holds for this event ({@link #flushOnly}). */
    public static boolean isFlushOnly(ChangeEvent event) {
        return event.key().containsKey(FLUSH_ONLY);
    }

    /** The target rows a {@link Op#TRUNCATE} event deletes. */
    public static TruncateScope truncateScope(ChangeEvent event) {
        Object field = event.key().get(WHERE_FIELD);
        return field == null ? TruncateScope.WHOLE_TABLE : new TruncateScope((String) field, (String) event.key().get(WHERE_VALUE));
    }

    /** The change an {@link Op#ALTER_TARGET} event carries; null for a {@link Op#TRUNCATE}, which empties the table. */
    public static SchemaChange of(ChangeEvent event) {
        if (event.op() == Op.TRUNCATE) {
            return null;
        }
        Map<String, Object> what = event.key();
        if (what.containsKey("add")) {
            return new SchemaChange.AddColumn(new Column((String) what.get("add"), (String) what.get("dataType"),
                    (String) what.get("columnType"), -1, -1, -1, true, Boolean.parseBoolean((String) what.get("unsigned"))),
                    (String) what.get("default"));
        }
        return what.containsKey("drop") ? new SchemaChange.DropColumn((String) what.get("drop"))
                : new SchemaChange.RenameColumn((String) what.get("from"), (String) what.get("to"));
    }
}
