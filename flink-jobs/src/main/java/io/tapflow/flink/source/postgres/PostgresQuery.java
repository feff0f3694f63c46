package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import io.tapflow.flink.source.query.QueryResultKey;
import io.tapflow.flink.source.query.QuerySource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Describes the result of a SELECT on PostgreSQL from the driver's result metadata, with the types a table column
 * of the same type has ({@link PostgresColumnTypes}), so the result is written as such a table would be.
 */
public final class PostgresQuery {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    /** varchar without a length: the driver reports the largest int. */
    private static final int UNBOUNDED = 10_485_760;

    private PostgresQuery() {}

    public static TableSchema inspect(DataSource ds, String name, String select, List<String> keyOverride) {
        String where = "query " + name + " of source datasource '" + ds.name() + "'";
        QueryResultKey.notAQuery(name, select).ifPresent(p -> {
            throw new InvalidDefinitionException(where, List.of(p));
        });
        try (Connection c = QueryResultKey.readOnly(JdbcConnections.open(DIALECT, ds))) {
            List<Column> columns = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(QueryResultKey.body(select))) {
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String type = md.getColumnTypeName(i);
                        Optional<Column> column = column(md, i, type);
                        column.ifPresent(columns::add);
                        if (column.isEmpty()) {
                            problems.add("column '" + md.getColumnLabel(i) + "' of the result has type " + type + ", which "
                                    + "tapflow does not read from PostgreSQL; CAST it to one of: "
                                    + String.join(", ", PostgresColumnTypes.SUPPORTED));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new InvalidDefinitionException(where, List.of(JdbcConnections.describe(ds, e).getMessage()));
            }
            List<String> key = keyOverride.isEmpty() ? new PostgresSourceInspector(ds).primaryKey(c, name) : keyOverride;
            if (problems.isEmpty()) {
                problems.addAll(QueryResultKey.problems(c, name, select, columns, key, DIALECT::quote,
                        quoted -> "(" + String.join(", ", quoted) + ")"));
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(where, problems);
            }
            return QueryResultKey.schema(ds.get("schema"), name, columns, key);
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** The bounded source that reads the result once. */
    public static QuerySource source(DataSource ds, TableSchema result, String select) {
        return new QuerySource(new PostgresQueryRows(ds, result, select));
    }

    /** Every row of a table, its values read exactly as a query's are. */
    public static io.tapflow.flink.source.query.QueryRows tableRows(DataSource ds, TableSchema table) {
        return new PostgresQueryRows(ds, table, "SELECT * FROM " + DIALECT.quote(table.database()) + "." + DIALECT.quote(table.table()));
    }

    private static Optional<Column> column(ResultSetMetaData md, int i, String type) throws SQLException {
        // The driver names integer columns with a sequence default by their pseudo-types.
        String udtName = switch (type) {
            case "serial" -> "int4";
            case "bigserial" -> "int8";
            case "smallserial" -> "int2";
            default -> type;
        };
        int precision = md.getPrecision(i);
        int scale = md.getScale(i);
        boolean temporal = udtName.startsWith("time");
        long length = udtName.equals("varchar") || udtName.equals("bpchar")
                ? precision > 0 && precision <= UNBOUNDED ? precision : -1 : -1;
        return PostgresColumnTypes.describe(md.getColumnLabel(i), udtName, length,
                temporal ? (scale >= 0 && scale <= 6 ? scale : 6) : precision > 0 && precision <= 1000 ? precision : -1,
                udtName.equals("numeric") && precision > 0 && precision <= 1000 ? scale : -1,
                md.isNullable(i) != ResultSetMetaData.columnNoNulls);
    }
}
