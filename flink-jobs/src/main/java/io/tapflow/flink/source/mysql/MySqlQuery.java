package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.mysql.snapshot.MySqlSql;
import io.tapflow.flink.source.query.QueryResultKey;
import io.tapflow.flink.source.query.QuerySource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Describes the result of a SELECT on MySQL/MariaDB from the server's own result metadata, in the column vocabulary
 * the table path uses, so its rows are read ({@code MySqlRowReader}) and written exactly like a table's. ENUM and SET
 * results are varchar (the metadata does not carry their values); MariaDB's JSON alias is longtext.
 */
public final class MySqlQuery {
    private MySqlQuery() {}

    public static TableSchema inspect(DataSource ds, String name, String select, List<String> keyOverride) {
        String where = "query " + name + " of source datasource '" + ds.name() + "'";
        QueryResultKey.notAQuery(name, select).ifPresent(p -> {
            throw new InvalidDefinitionException(where, List.of(p));
        });
        try (Connection c = QueryResultKey.readOnly(MySqlConnections.open(ds))) {
            List<Column> columns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(QueryResultKey.body(select))) {
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(column(md, i));
                    }
                }
            } catch (SQLException e) {
                throw new InvalidDefinitionException(where, List.of(MySqlConnections.describe(ds, e).getMessage()));
            }
            List<String> problems = new ArrayList<>();
            columns.stream().filter(col -> !MySqlColumnTypes.isSupported(col.dataType())).forEach(col -> problems.add(
                    "column '" + col.name() + "' of the result has the type " + col.columnType() + ", which tapflow cannot "
                            + "read; CAST it to a type tapflow reads"));
            List<String> key = keyOverride.isEmpty() ? new MySqlSourceInspector(ds).primaryKey(c, name) : keyOverride;
            if (problems.isEmpty()) {
                problems.addAll(QueryResultKey.problems(c, name, select, columns, key, MySqlSql::quote,
                        // BINARY: distinct as the target tells keys apart, not by the column's case-insensitive collation.
                        quoted -> quoted.stream().map(k -> "CAST(" + k + " AS BINARY)").collect(Collectors.joining(", "))));
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(where, problems);
            }
            return QueryResultKey.schema(ds.get("database"), name, columns, key);
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    /** The bounded source that reads the result once. */
    public static QuerySource source(DataSource ds, TableSchema result, String select) {
        return new QuerySource(new MySqlQueryRows(ds, result, select));
    }

    /** Every row of a table, read as its snapshot reads it. */
    public static io.tapflow.flink.source.query.QueryRows tableRows(DataSource ds, TableSchema table) {
        return new MySqlQueryRows(ds, table, "SELECT * FROM " + io.tapflow.flink.source.mysql.snapshot.MySqlSql.table(table));
    }

    private static Column column(ResultSetMetaData md, int i) throws SQLException {
        String name = md.getColumnLabel(i);
        String typeName = md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        boolean unsigned = typeName.endsWith(" unsigned");
        String dataType = unsigned ? typeName.substring(0, typeName.length() - " unsigned".length()) : typeName;
        String sign = unsigned ? " unsigned" : "";
        int precision = md.getPrecision(i);
        int scale = md.getScale(i);
        boolean nullable = md.isNullable(i) != ResultSetMetaData.columnNoNulls;
        return switch (dataType) {
            case "decimal" -> new Column(name, dataType, "decimal(" + precision + "," + scale + ")" + sign, -1, precision, scale,
                    nullable, unsigned);
            case "char", "varchar", "binary", "varbinary" -> new Column(name, dataType, dataType + "(" + precision + ")",
                    precision, -1, -1, nullable, false);
            case "enum", "set" -> new Column(name, "varchar", "varchar(" + precision + ")", precision, -1, -1, nullable, false);
            case "datetime", "timestamp", "time" -> {
                // JDBC's getScale is 0 for these; the protocol's decimals field holds the fraction digits. Servers
                // report 31 (MySQL) or 39 (MariaDB) for an expression whose precision they do not know.
                int decimals = md.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields()[i - 1].getDecimals();
                int fsp = decimals < 0 || decimals > 6 ? 6 : decimals;
                yield new Column(name, dataType, dataType + (fsp == 0 ? "" : "(" + fsp + ")"), -1, fsp, -1, nullable, false);
            }
            case "bit" -> new Column(name, dataType, "bit(" + precision + ")", -1, precision, -1, nullable, false);
            default -> new Column(name, dataType, dataType + sign, -1, -1, -1, nullable, unsigned);
        };
    }
}
