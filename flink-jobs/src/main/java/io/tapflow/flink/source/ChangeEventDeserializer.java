package io.tapflow.flink.source;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.job.JobFailures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;

/**
 * Turns Debezium's MySQL and PostgreSQL change records into {@link ChangeEvent}s, and a dropped or truncated table
 * into a table event ({@link TableEvents}); heartbeats and other schema-change records are skipped. Tables are named
 * {@code database.table} for MySQL and {@code schema.table} for PostgreSQL, whose tables live in schemas of the one
 * database a connection reaches.
 */
public final class ChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private final boolean mysql;
    private final boolean nullDatesSuspect;
    private final SourceValueCheck check;
    private final Set<String> numericColumns;
    private transient DebeziumValueConverter converter;

    private ChangeEventDeserializer(boolean mysql, boolean nullDatesSuspect, SourceValueCheck check, Set<String> numericColumns) {
        this.mysql = mysql;
        this.nullDatesSuspect = nullDatesSuspect;
        this.check = check;
        this.numericColumns = Set.copyOf(numericColumns);
    }

    /**
     * @param nullDatesSuspect whether a NULL DATE/DATETIME is suspect too (the zero-date rule is error)
     * @param check            settles suspect values and applies the zero-date rule
     */
    public static ChangeEventDeserializer forMySql(boolean nullDatesSuspect, SourceValueCheck check) {
        return new ChangeEventDeserializer(true, nullDatesSuspect, check, Set.of());
    }

    /**
     * @param numericColumns "schema.table.column" of every numeric column, domains over numeric included: Debezium
     *                       marks a domain's column with the domain's name, not numeric
     */
    public static ChangeEventDeserializer forPostgres(SourceValueCheck snapshotCheck, Set<String> numericColumns) {
        return new ChangeEventDeserializer(false, false, snapshotCheck, numericColumns);
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            if (mysql) {
                TableEvents.ofMySqlSchemaChange(record).forEach(out::collect);
            }
            return;
        }
        if (converter == null) {
            converter = new DebeziumValueConverter(mysql, nullDatesSuspect, numericColumns);
        }
        Struct source = value.getStruct("source");
        String namespace = source.schema().field("schema") != null ? source.getString("schema") : source.getString("db");
        String table = namespace + "." + source.getString("table");
        Long ts = source.getInt64("ts_ms");
        long sourceTs = ts != null && ts > 0 ? ts : value.getInt64("ts_ms") == null ? 0L : value.getInt64("ts_ms");
        Op op = switch (value.getString("op")) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            case "t" -> Op.TRUNCATE;
            default -> null;
        };
        if (op == null || op == Op.TRUNCATE) {
            if (op == Op.TRUNCATE) {
                out.collect(TableEvents.tableEvent(op, table, sourceTs));
            }
            return;
        }
        Map<String, Object> before;
        Map<String, Object> after;
        Map<String, Object> key;
        try {
            before = converter.convertRow(value.getStruct("before"));
            after = converter.convertRow(value.getStruct("after"));
            key = record.key() instanceof Struct k ? converter.convertRow(k) : new LinkedHashMap<>();
            boolean sawSuspect = converter.takeSawSuspect();
            boolean refused = check.check(op, table, before, key, sawSuspect);
            refused |= check.check(op, table, after, key, sawSuspect);
            if (converter.takeSawRefused() | refused) {
                RefusedValue.refuseIn(table, before, key);
                RefusedValue.refuseIn(table, after, key);
            }
        } catch (RuntimeException e) {
            throw JobFailures.rowFailure("reading a change of table " + table, e);
        }
        out.collect(new ChangeEvent(op, table, key, before, after, sourceTs));
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }
}
