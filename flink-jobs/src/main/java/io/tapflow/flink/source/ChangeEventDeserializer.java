package io.tapflow.flink.source;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.Op;
import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;

/**
 * Turns Debezium's MySQL and PostgreSQL change records into {@link ChangeEvent}s; heartbeats and schema-change records
 * are skipped. Tables are named {@code database.table} for MySQL and {@code schema.table} for PostgreSQL, whose
 * tables live in schemas of the one database a connection reaches.
 */
public final class ChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** Null for PostgreSQL, whose dates are always valid; so is {@code readBack}. */
    private final ZeroDateRule zeroDates;
    private final BinlogReadBack readBack;
    private transient DebeziumValueConverter converter;

    private ChangeEventDeserializer(ZeroDateRule zeroDates, BinlogReadBack readBack) {
        this.zeroDates = zeroDates;
        this.readBack = readBack;
    }

    /** @param ds the datasource with env references resolved: suspect dates are read back from it */
    public static ChangeEventDeserializer forMySql(DataSource ds, List<TableSchema> tables) {
        return new ChangeEventDeserializer(ZeroDateRule.of(ds), new BinlogReadBack(ds, tables));
    }

    public static ChangeEventDeserializer forPostgres() {
        return new ChangeEventDeserializer(null, null);
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return;
        }
        if (converter == null) {
            converter = new DebeziumValueConverter(zeroDates != null, zeroDates != null && !zeroDates.writesNull());
        }
        Struct source = value.getStruct("source");
        String namespace = source.schema().field("schema") != null ? source.getString("schema") : source.getString("db");
        String table = namespace + "." + source.getString("table");
        Op op = switch (value.getString("op")) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            default -> null;
        };
        if (op == null) {
            return;
        }
        Map<String, Object> before = converter.convertRow(value.getStruct("before"), table);
        Map<String, Object> after = converter.convertRow(value.getStruct("after"), table);
        Map<String, Object> key = record.key() instanceof Struct k ? converter.convertRow(k, table) : new LinkedHashMap<>();
        if (zeroDates != null) {
            if (converter.takeSawSuspect()) {
                readBack.settle(table, before, key);
                readBack.settle(table, after, key);
            }
            zeroDates.apply(table, before, key);
            zeroDates.apply(table, after, key);
        }
        Long ts = source.getInt64("ts_ms");
        long sourceTs = ts != null && ts > 0 ? ts : value.getInt64("ts_ms") == null ? 0L : value.getInt64("ts_ms");
        out.collect(new ChangeEvent(op, table, key, before, after, sourceTs));
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }
}
