package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DurationText;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PostgreSQL as a target. Type mapping from source columns (in MySQL's type names, see {@link Column}): integers widen where UNSIGNED needs it (BIGINT UNSIGNED
 * becomes numeric(20)), DECIMAL keeps precision and scale, CHAR/VARCHAR become varchar(n), TEXT text, binary types
 * bytea, DATETIME timestamp (no zone), TIMESTAMP timestamptz, TIME interval (MySQL's TIME is a signed span up to
 * 838 hours), YEAR smallint, BIT(1) boolean, BIT(2..63) bigint, BIT(64) numeric(20,0), ENUM/SET text, JSON and embedded documents (lookups) jsonb; a PostgreSQL source's numeric without precision stays numeric, uuid stays uuid.
 */
public final class PostgresDialect implements JdbcDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String jdbcUrl(DataSource ds) {
        // stringtype=unspecified lets the server cast JSON text to jsonb; reWriteBatchedInserts turns batches into multi-row INSERTs.
        return "jdbc:postgresql://" + ds.get("host") + ":" + ds.getInt("port") + "/" + ds.get("database")
                + "?reWriteBatchedInserts=true&stringtype=unspecified&ApplicationName=tapflow&connectTimeout=10";
    }

    @Override
    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String qualifiedName(DataSource ds, String table) {
        return quote(ds.get("schema")) + "." + quote(table);
    }

    @Override
    public String upsertSql(String qualifiedTable, List<String> columns, List<String> keyFields) {
        String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        List<String> nonKey = columns.stream().filter(c -> !keyFields.contains(c)).toList();
        String conflict = keyFields.stream().map(this::quote).collect(Collectors.joining(", "));
        String action = nonKey.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + nonKey.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        return "INSERT INTO " + qualifiedTable + " (" + cols + ") VALUES (" + params + ") ON CONFLICT (" + conflict + ") " + action;
    }

    @Override
    public Optional<BulkInsert> bulkInsert(Connection connection) throws SQLException {
        return Optional.of(new PostgresCopyInsert(connection, this));
    }

    @Override
    public String modifyColumnSql(Column c) {
        return "ALTER COLUMN " + quote(c.name()) + " TYPE " + columnType(c);
    }

    @Override
    public String columnType(Column c) {
        return switch (c.dataType()) {
            case "tinyint" -> "smallint";
            case "smallint" -> c.unsigned() ? "integer" : "smallint";
            case "mediumint" -> "integer";
            case "int", "integer" -> c.unsigned() ? "bigint" : "integer";
            case "bigint" -> c.unsigned() ? "numeric(20,0)" : "bigint";
            case "decimal", "numeric" -> c.precision() > 0 ? "numeric(" + c.precision() + "," + Math.max(0, c.scale()) + ")"
                    : "numeric";
            case "float" -> "real";
            case "double", "real" -> "double precision";
            case "char", "varchar" -> c.length() > 0 && c.length() <= 10_485_760 ? "varchar(" + c.length() + ")" : "text";
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "bytea";
            // MySQL's SRID + WKB bytes (see MySqlColumnTypes); PostGIS is not assumed.
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> "bytea";
            case "date" -> "date";
            // MySQL TIME spans -838:59:59..838:59:59: only interval holds every value; a PostgreSQL time stays a time.
            case "time" -> "interval";
            case "time_of_day" -> "time(" + precision(c) + ")";
            case "datetime" -> "timestamp(" + precision(c) + ")";
            case "timestamp" -> "timestamptz(" + precision(c) + ")";
            case "year" -> "smallint";
            case "bit" -> c.precision() <= 1 ? "boolean" : c.precision() < 64 ? "bigint" : "numeric(20,0)";
            case "json", Column.DOCUMENT -> "jsonb";
            case "boolean" -> "boolean";
            case "uuid" -> "uuid";
            // From a PostgreSQL source: the same network type, which takes the text the source printed.
            case "inet", "cidr", "macaddr", "macaddr8", "tsvector", "interval", "xml" -> c.dataType();
            case Column.ARRAY -> c.columnType();
            default -> "text";
        };
    }

    private static int precision(Column c) {
        return c.precision() < 0 ? 0 : Math.min(c.precision(), 6);
    }

    @Override
    public List<Map<String, Object>> writable(TargetTable table, List<Map<String, Object>> rows) {
        return PostgresArrayText.literals(table, rows);
    }

    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant i) {
            ps.setObject(index, i.atOffset(ZoneOffset.UTC));
        } else if (value instanceof byte[] b) {
            ps.setBytes(index, b);
        } else if (value instanceof Duration d) {
            ps.setString(index, DurationText.format(d));
        } else if (value instanceof java.util.Map<?, ?> || value instanceof List<?>) {
            // An embedded row or array (lookup) into its jsonb column; stringtype=unspecified lets the server cast it.
            ps.setString(index, io.tapflow.flink.sink.JsonValues.value(value).toString());
        } else {
            ps.setObject(index, value);
        }
    }
}
