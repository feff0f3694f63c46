package io.tapflow.flink.source.mysql;

import io.tapflow.flink.source.InvalidDate;
import io.tapflow.flink.source.RowTextReader;
import io.tapflow.flink.source.SourceValueCheck;
import io.tapflow.flink.source.SuspectValue;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DurationText;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.mysql.snapshot.MySqlSql;
import io.tapflow.flink.event.Op;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles {@link SuspectValue}s of the MySQL change stream (then applies the {@link ZeroDateRule}) by reading the row's DATE, DATETIME and TIME columns back
 * from the source as text, parsed as the snapshot parses them (a zero or invalid date becomes an {@link InvalidDate}
 * for the {@link ZeroDateRule}). Only suspect values cost a query: a NOT NULL DATE/DATETIME holding its DEFAULT or
 * epoch 0, with zero-date=error a NULL one, and a negative TIME. Should the row have changed since, the value read is
 * newer than the event's, and the row's later events carry it too, so the target converges as it does after a
 * snapshot replay; a row that is gone keeps the binlog's value (its delete follows).
 */
final class BinlogReadBack implements SourceValueCheck {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BinlogReadBack.class);

    private final Map<String, TableSchema> tables;
    private final RowTextReader reader;
    private final ZeroDateRule zeroDates;
    private final Set<String> warnedKeyless = ConcurrentHashMap.newKeySet();

    BinlogReadBack(DataSource resolvedDataSource, List<TableSchema> tables) {
        this.tables = tables.stream().collect(Collectors.toMap(TableSchema::qualifiedName, t -> t));
        this.reader = new RowTextReader(resolvedDataSource, new MySqlText(), Set.of("date", "datetime", "time"));
        this.zeroDates = ZeroDateRule.of(resolvedDataSource);
    }

    ZeroDateRule zeroDates() {
        return zeroDates;
    }

    @Override
    public boolean check(Op op, String table, Map<String, Object> row, Map<String, Object> key, boolean sawSuspect) {
        // Zero dates only come from suspect values or a zero TIMESTAMP, both flagged: most events need no look.
        if (sawSuspect) {
            settle(table, row, key);
            zeroDates.apply(table, row, key);
        }
        return false;
    }

    /** Replaces each SuspectValue of the row; {@code key} is the event's primary key. */
    private void settle(String table, Map<String, Object> row, Map<String, Object> key) {
        if (row == null || row.values().stream().noneMatch(SuspectValue.class::isInstance)) {
            return;
        }
        TableSchema schema = tables.get(table);
        Map<String, String> current = schema == null || key == null || key.isEmpty() ? null : reader.read(schema, key);
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof SuspectValue suspect) {
                e.setValue(current == null ? suspect.decoded() : parse(schema, e.getKey(), current.get(e.getKey())));
            }
        }
        if (schema != null && schema.primaryKey().isEmpty() && warnedKeyless.add(table)) {
            LOG.warn("table {} has no primary key: a zero date in its DATE/DATETIME columns cannot be told from the value "
                    + "the binlog reader gives for it", table);
        }
    }

    private static Object parse(TableSchema schema, String column, String text) {
        if (text == null) {
            return null;
        }
        String type = schema.column(column).orElseThrow().dataType();
        return type.equals("time") ? DurationText.parse(text) : MySqlTemporalText.parser(type).parse(text);
    }

    /** MySQL's side of {@link RowTextReader}. */
    private static final class MySqlText implements RowTextReader.Sql {
        private static final long serialVersionUID = 1L;

        @Override
        public Connection open(DataSource ds) {
            return MySqlConnections.open(ds);
        }

        @Override
        public String text(String column) {
            return "CAST(" + quote(column) + " AS CHAR)";
        }

        @Override
        public String table(TableSchema table) {
            return MySqlSql.table(table);
        }

        @Override
        public String quote(String identifier) {
            return MySqlSql.quote(identifier);
        }

        @Override
        public RuntimeException describe(DataSource ds, SQLException e) {
            return MySqlConnections.describe(ds, e);
        }
    }
}
