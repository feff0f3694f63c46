package io.tapflow.flink.source;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles {@link SuspectValue}s of the change stream by reading the row's DATE, DATETIME and TIME columns back from
 * the source as text, parsed as the snapshot parses them (a zero or invalid date becomes an {@link InvalidDate} for
 * the {@link ZeroDateRule}). Only suspect values cost a query: a NOT NULL DATE/DATETIME holding its DEFAULT or epoch 0,
 * with zero-date=error a NULL one, and a negative TIME. Should the row have changed since, the value read is newer
 * than the event's, and the row's later events carry it too, so the target converges as it does after a snapshot
 * replay; a row that is gone keeps the binlog's value (its delete follows).
 */
final class BinlogReadBack implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BinlogReadBack.class);

    private static final Set<String> CHECKED_TYPES = Set.of("date", "datetime", "time");

    private final DataSource ds;
    private final Map<String, TableSchema> tables;
    private transient Connection connection;
    private transient Map<String, PreparedStatement> statements;
    private final Set<String> warnedKeyless = ConcurrentHashMap.newKeySet();

    BinlogReadBack(DataSource resolvedDataSource, List<TableSchema> tables) {
        this.ds = resolvedDataSource;
        this.tables = tables.stream().collect(Collectors.toMap(TableSchema::qualifiedName, t -> t));
    }

    /** Replaces each SuspectValue of the row; {@code key} is the event's primary key. */
    void settle(String table, Map<String, Object> row, Map<String, Object> key) {
        if (row == null || row.values().stream().noneMatch(SuspectValue.class::isInstance)) {
            return;
        }
        TableSchema schema = tables.get(table);
        Map<String, String> current = schema == null || key == null || key.isEmpty() ? null : readBack(schema, key);
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

    /** The row's DATE, DATETIME and TIME columns as the server prints them; null when the row is gone. */
    private Map<String, String> readBack(TableSchema schema, Map<String, Object> key) {
        try {
            PreparedStatement ps = statement(schema);
            int i = 1;
            for (String k : schema.primaryKey()) {
                ps.setObject(i++, key.get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, String> values = new HashMap<>();
                List<String> columns = checkedColumns(schema);
                for (int c = 0; c < columns.size(); c++) {
                    values.put(columns.get(c), rs.getString(c + 1));
                }
                return values;
            }
        } catch (SQLException e) {
            close();
            throw new TapflowException("reading back a row of " + schema.qualifiedName() + " failed: "
                    + MySqlConnections.describe(ds, e).getMessage(), e);
        }
    }

    private PreparedStatement statement(TableSchema schema) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = MySqlConnections.open(ds);
            statements = new HashMap<>();
        }
        PreparedStatement ps = statements.get(schema.qualifiedName());
        if (ps == null) {
            String columns = checkedColumns(schema).stream().map(c -> "CAST(" + quote(c) + " AS CHAR)")
                    .collect(Collectors.joining(", "));
            String where = schema.primaryKey().stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
            ps = connection.prepareStatement("SELECT " + columns + " FROM " + quote(schema.database()) + "."
                    + quote(schema.table()) + " WHERE " + where);
            statements.put(schema.qualifiedName(), ps);
        }
        return ps;
    }

    private static List<String> checkedColumns(TableSchema schema) {
        return schema.columns().stream().filter(c -> CHECKED_TYPES.contains(c.dataType())).map(Column::name).toList();
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // The connection is being replaced after a failure; its own close error adds nothing.
        }
        connection = null;
    }
}
