package io.tapflow.flink.verify;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads PostgreSQL and MySQL target tables. PostgreSQL rows are read by their column types; MySQL rows with the MySQL
 * snapshot reader over the planned columns (MySQL targets keep the source declaration), the few types a PostgreSQL
 * source brings read as what MySQL made of them. Time values are compared at the column's fractional digits, and MySQL
 * CHAR values without the trailing spaces MySQL drops (a PostgreSQL char(n) arrives blank-padded).
 */
final class JdbcTargetReader implements TargetReader {
    private static final Pattern TRAILING_SPACES = Pattern.compile(" +$");
    private static final Set<String> TIMES = Set.of("datetime", "timestamp", "time", "time_of_day");
    private final boolean postgres;
    private final DataSource ds;
    private final PostgresSourceReader pg;
    private final MySqlSourceReader mysql;

    JdbcTargetReader(DataSource resolvedDataSource, boolean postgres) {
        this.postgres = postgres;
        this.ds = resolvedDataSource;
        this.pg = postgres ? new PostgresSourceReader(resolvedDataSource, false) : null;
        this.mysql = postgres ? null : new MySqlSourceReader(resolvedDataSource);
    }

    @Override
    public RowCursor rows(TargetTable table) {
        return rows(table, null);
    }

    @Override
    public RowCursor rows(TargetTable table, KeyRange range) {
        if (postgres) {
            String order = table.keyFields().stream().map(k -> PostgresSourceReader.ordered(asSchema(table), k))
                    .collect(Collectors.joining(", "));
            return pg.rows(table.name(), " ORDER BY " + order, table.keyFields().get(0), range);
        }
        return mysql.rows(asSchema(table), table.keyFields(), range);
    }

    /** The target database, for checksums. */
    SqlTables sql() {
        return postgres ? pg : mysql;
    }

    /** The database holding the target tables (MySQL); PostgreSQL qualifies by the datasource's schema. */
    String database() {
        return ds.get("database");
    }

    @Override
    public Map<String, Object> row(TargetTable table, RowKey key) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            values.add(key.get(i));
        }
        List<Map<String, Object>> rows = postgres ? pg.rowsWhere(table.name(), table.keyFields(), values)
                : mysql.rowsWhere(asSchema(table), table.keyFields(), values);
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public long count(TargetTable table) {
        return postgres ? pg.count(table.name()) : mysql.count(asSchema(table));
    }

    @Override
    public Object stored(TargetTable table, String column, Object value) {
        return storedAs(table, column).apply(value);
    }

    /** JSON columns, and the jsonb/json column of an embedded row or array, compare as documents. */
    @Override
    public boolean isJson(TargetTable table, String column) {
        return table.columns().stream().anyMatch(c -> c.name().equals(column)
                && (c.dataType().equals("json") || c.dataType().equals(Column.DOCUMENT)
                        || !postgres && c.dataType().equals(Column.ARRAY)));
    }

    @Override
    public UnaryOperator<Object> storedAs(TargetTable table, String column) {
        Column c = table.columns().stream().filter(col -> col.name().equals(column)).findFirst().orElse(null);
        if (c == null) {
            return UnaryOperator.identity();
        }
        if (c.dataType().equals(Column.DOCUMENT) || !postgres && c.dataType().equals(Column.ARRAY)) {
            // An embedded row or array (lookup), or a source array into MySQL: the JSON the sink writes into its column.
            return v -> v instanceof Map<?, ?> || v instanceof List<?> ? io.tapflow.flink.sink.JsonValues.value(v).toString() : v;
        }
        if (!postgres && c.dataType().equals("char")) {
            // MySQL returns CHAR values without their trailing spaces.
            return v -> v instanceof String text ? TRAILING_SPACES.matcher(text).replaceFirst("") : v;
        }
        if (!TIMES.contains(c.dataType())) {
            return UnaryOperator.identity();
        }
        // The dialects' declarations: PostgreSQL caps at 6 digits and declares an unknown precision as 0.
        int digits = postgres ? (c.precision() < 0 ? 0 : Math.min(c.precision(), 6)) : c.precision();
        return v -> TemporalPrecision.round(v, digits);
    }

    /** The target table as the MySQL reader reads it: PostgreSQL-only types as MySQL declared them. */
    private TableSchema asSchema(TargetTable table) {
        List<Column> columns = table.columns().stream().map(JdbcTargetReader::asMySqlColumn).toList();
        return new TableSchema(ds.get("database"), table.name(), columns, table.keyFields());
    }

    private static Column asMySqlColumn(Column c) {
        String type = switch (c.dataType()) {
            case "boolean" -> "tinyint";
            case "time_of_day" -> "time";
            case "uuid" -> "char";
            case "inet", "cidr", "macaddr", "macaddr8", "interval" -> "varchar";
            case Column.ARRAY -> "json";
            case "tsvector", "xml" -> "longtext";
            default -> c.dataType();
        };
        return new Column(c.name(), type, c.columnType(), c.length(), c.precision(), c.scale(), c.nullable(), c.unsigned());
    }

    @Override
    public void close() {}
}
