package io.tapflow.flink.sink.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import io.tapflow.flink.sink.JsonValues;
import io.tapflow.flink.sink.RowKey;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Change events as Kafka message keys and values. The key is the target key as a JSON object ({@code {"id":1}}), so
 * Kafka's default partitioner keeps the changes of one row in one partition, in order. The value follows the format:
 * <ul>
 *   <li>debezium-json: {@code {"before", "after", "source": {"connector", "name", "db", "table", "snapshot",
 *       "ts_ms"}, "op": c|u|d|r, "ts_ms"}}, as Debezium with schemas off;</li>
 *   <li>canal-json: {@code {"data": [row], "old": [changed fields' old values] | null, "database", "table",
 *       "pkNames", "isDdl": false, "type": INSERT|UPDATE|DELETE, "es", "ts"}} (snapshot rows are INSERTs);</li>
 *   <li>json: the row itself; a delete is a tombstone (null value), or, with {@code json.op-field}, the old row with
 *       that field holding the operation.</li>
 * </ul>
 * A source table's TRUNCATE (policy evolve) is a message without key, as Debezium's truncate event: debezium-json
 * {@code {"before": null, "after": null, "source", "op": "t", "ts_ms"}}; canal-json a DDL message as Canal writes
 * one ({@code "data": null, "isDdl": true, "type": "TRUNCATE", "sql"}); json with {@code json.op-field} an object
 * holding only that field, {@code "t"} (in a union, also the rows' field that holds their source table, with the
 * truncated table's value). Plain json has no form for it ({@code KafkaConnectorFactory.truncateRefusal}).
 */
final class ChangeMessages implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final KafkaFormat format;
    private final String opField;
    private final String pipeline;

    ChangeMessages(KafkaFormat format, String opField, String pipeline) {
        this.format = format;
        this.opField = opField;
        this.pipeline = pipeline;
    }

    byte[] key(TargetTable table, ChangeEvent event) {
        RowKey key = RowKey.of(table.keyFields(), event.latestRow(), event.table());
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < key.size(); i++) {
            node.set(table.keyFields().get(i), JsonValues.value(key.get(i)));
        }
        return bytes(node);
    }

    /** The message value of a source table's TRUNCATE, which has no key. */
    byte[] truncate(TargetTable table, ChangeEvent event) {
        return bytes(switch (format) {
            case DEBEZIUM_JSON -> debezium(event);
            case CANAL_JSON -> canal(table, event);
            case JSON -> {
                if (opField == null) {
                    throw new IllegalStateException("format json without json.op-field has no TRUNCATE message");
                }
                ObjectNode node = NODES.objectNode().put(opField, debeziumOp(event.op()));
                // In a union, the field of the rows that holds their source table tells which rows it is about.
                TruncateScope scope = TargetSchemaChanges.truncateScope(event);
                yield scope.wholeTable() ? node : node.put(scope.field(), scope.value());
            }
        });
    }

    /** The message value; null for a json tombstone. Fails naming the table, row and field for a value JSON lacks. */
    byte[] value(TargetTable table, ChangeEvent event) {
        try {
            return switch (format) {
                case DEBEZIUM_JSON -> bytes(debezium(event));
                case CANAL_JSON -> bytes(canal(table, event));
                case JSON -> plain(event);
            };
        } catch (TapflowException e) {
            throw new TapflowException("row " + RowValues.format(event.key()) + " of " + event.table() + " cannot be"
                    + " written to Kafka: " + e.getMessage(), e);
        }
    }

    private ObjectNode debezium(ChangeEvent event) {
        ObjectNode node = NODES.objectNode();
        node.set("before", event.before() == null ? NODES.nullNode() : JsonValues.row(event.before()));
        node.set("after", event.after() == null ? NODES.nullNode() : JsonValues.row(event.after()));
        ObjectNode source = node.putObject("source");
        source.put("connector", "tapflow");
        source.put("name", pipeline);
        source.put("db", database(event));
        source.put("table", tableName(event));
        source.put("snapshot", event.op() == Op.READ ? "true" : "false");
        source.put("ts_ms", event.sourceTsMs());
        node.put("op", debeziumOp(event.op()));
        node.put("ts_ms", System.currentTimeMillis());
        return node;
    }

    private ObjectNode canal(TargetTable table, ChangeEvent event) {
        ObjectNode node = NODES.objectNode();
        if (event.op() == Op.TRUNCATE) {
            node.putNull("data");
        } else {
            node.putArray("data").add(JsonValues.row(event.latestRow()));
        }
        if (event.op() == Op.UPDATE && event.before() != null) {
            ObjectNode old = NODES.objectNode();
            event.before().forEach((field, value) -> {
                if (!RowValues.valuesEqual(value, event.after().get(field))) {
                    old.set(field, JsonValues.value(value));
                }
            });
            node.putArray("old").add(old);
        } else {
            node.putNull("old");
        }
        node.put("database", database(event));
        node.put("table", tableName(event));
        ArrayNode keys = node.putArray("pkNames");
        table.keyFields().forEach(keys::add);
        node.put("isDdl", event.op() == Op.TRUNCATE);
        if (event.op() == Op.TRUNCATE) {
            // Canal carries the statement of a DDL message; tapflow has the table, not the statement, so it is made.
            node.put("sql", "TRUNCATE TABLE " + event.table());
        }
        node.put("type", switch (event.op()) {
            case READ, INSERT -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
            case TRUNCATE -> "TRUNCATE";
            case DROP_TABLE, ALTER_TARGET -> throw tableEvent(event);
        });
        node.put("es", event.sourceTsMs());
        node.put("ts", System.currentTimeMillis());
        return node;
    }

    private byte[] plain(ChangeEvent event) {
        if (opField == null) {
            return event.op() == Op.DELETE ? null : bytes(JsonValues.row(event.after()));
        }
        ObjectNode row = JsonValues.row(event.latestRow());
        row.put(opField, debeziumOp(event.op()));
        return bytes(row);
    }

    private static String debeziumOp(Op op) {
        return switch (op) {
            case READ -> "r";
            case INSERT -> "c";
            case UPDATE -> "u";
            case DELETE -> "d";
            case TRUNCATE -> "t";
            case DROP_TABLE, ALTER_TARGET -> throw new IllegalStateException(op + " is not a row change");
        };
    }

    private static IllegalStateException tableEvent(ChangeEvent event) {
        // The schema-change follower consumes table events right after the source.
        return new IllegalStateException(event.op() + " of " + event.table() + " is not a row change");
    }

    /** Events name their table {@code database.table}. */
    static String database(ChangeEvent event) {
        int dot = event.table().indexOf('.');
        return dot < 0 ? "" : event.table().substring(0, dot);
    }

    private static String tableName(ChangeEvent event) {
        return event.table().substring(event.table().indexOf('.') + 1);
    }

    private static byte[] bytes(ObjectNode node) {
        return Objects.requireNonNull(node).toString().getBytes(StandardCharsets.UTF_8);
    }
}
