package io.tapflow.flink.source;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles {@link SuspectDate}s of the change stream by reading the row's date columns back from the source as text:
 * a zero or invalid date there becomes an {@link InvalidDate} for the {@link ZeroDateRule}, anything else keeps the
 * binlog's value. Only suspect values cost a query (a NOT NULL DATE/DATETIME holding its DEFAULT or epoch 0, and
 * with zero-date=error a NULL one). Should the row have changed since, its later events are settled the same way, so
 * the target converges as it does after a snapshot replay.
 */
final class BinlogDateCheck implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BinlogDateCheck.class);

    private final DataSource ds;
    private final Map<String, TableSchema> tables;
    private transient Connection connection;
    private transient Map<String, PreparedStatement> statements;
    private final Set<String> warnedKeyless = ConcurrentHashMap.newKeySet();

    BinlogDateCheck(DataSource resolvedDataSource, List<TableSchema> tables) {
        this.ds = resolvedDataSource;
        this.tables = tables.stream().collect(Collectors.toMap(TableSchema::qualifiedName, t -> t));
    }

    /** Replaces each SuspectDate of the row; {@code key} is the event's primary key. */
    void settle(String table, Map<String, Object> row, Map<String, Object> key) {
        if (row == null || row.values().stream().noneMatch(SuspectDate.class::isInstance)) {
            return;
        }
        TableSchema schema = tables.get(table);
        Map<String, String> current = schema == null || key == null || key.isEmpty() ? null : readDates(schema, key);
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof SuspectDate suspect) {
                String text = current == null ? null : current.get(e.getKey());
                Object now = text == null ? null : MySqlTemporalText.parser(schema.column(e.getKey()).orElseThrow().dataType())
                        .parse(text);
                e.setValue(now instanceof InvalidDate ? now : suspect.decoded());
            }
        }
        if (schema != null && schema.primaryKey().isEmpty() && warnedKeyless.add(table)) {
            LOG.warn("table {} has no primary key: a zero date in its DATE/DATETIME columns cannot be told from the value "
                    + "the binlog reader gives for it", table);
        }
    }

    /** The row's DATE/DATETIME columns as the server prints them; null when the row is gone. */
    private Map<String, String> readDates(TableSchema schema, Map<String, Object> key) {
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
                List<String> columns = dateColumns(schema);
                for (int c = 0; c < columns.size(); c++) {
                    values.put(columns.get(c), rs.getString(c + 1));
                }
                return values;
            }
        } catch (SQLException e) {
            close();
            throw new TapflowException("reading back the dates of a row of " + schema.qualifiedName() + " failed: "
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
            String columns = dateColumns(schema).stream().map(c -> "CAST(" + quote(c) + " AS CHAR)")
                    .collect(Collectors.joining(", "));
            String where = schema.primaryKey().stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
            ps = connection.prepareStatement("SELECT " + columns + " FROM " + quote(schema.database()) + "."
                    + quote(schema.table()) + " WHERE " + where);
            statements.put(schema.qualifiedName(), ps);
        }
        return ps;
    }

    private static List<String> dateColumns(TableSchema schema) {
        List<String> names = new ArrayList<>();
        schema.columns().stream().filter(c -> c.dataType().equals("date") || c.dataType().equals("datetime"))
                .forEach(c -> names.add(c.name()));
        return names;
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
