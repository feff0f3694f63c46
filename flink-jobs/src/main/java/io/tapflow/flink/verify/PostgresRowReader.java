package io.tapflow.flink.verify;

import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.source.postgres.PostgresArrayLiteral;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads PostgreSQL rows into the canonical row values, by each column's type: those the PostgreSQL source produces
 * (see the README's PostgreSQL type table: int2/int4 Integer, int8 Long, numeric BigDecimal, float4 Float, float8
 * Double, bool Boolean, text types, json, jsonb and uuid String, bytea byte[], date, time, timestamp and timestamptz as
 * LocalDate, LocalTime, LocalDateTime and Instant, one-dimensional arrays a List of those) and interval as Duration
 * (MySQL's TIME in a PostgreSQL target), or a PostgreSQL source's ISO 8601 text of it.
 */
final class PostgresRowReader {
    /** Reads one column of the current row; null for SQL NULL. */
    private interface ColumnReader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    private final String[] names;
    private final ColumnReader[] readers;

    /** @param source whether the rows are a PostgreSQL source's: interval is then its ISO 8601 text (iso_8601 session) */
    PostgresRowReader(ResultSetMetaData metaData, String table, boolean source) throws SQLException {
        int n = metaData.getColumnCount();
        names = new String[n];
        readers = new ColumnReader[n];
        for (int i = 0; i < n; i++) {
            names[i] = metaData.getColumnLabel(i + 1);
            String type = metaData.getColumnTypeName(i + 1);
            readers[i] = source && type.equals("interval") ? ResultSet::getString : readerFor(type, table + "." + names[i]);
        }
    }

    Map<String, Object> read(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], readers[i].read(rs, i + 1));
        }
        return row;
    }

    private static ColumnReader readerFor(String type, String column) {
        if (type.startsWith("_") && PostgresArrayLiteral.reads(type.substring(1))) {
            // One-dimensional arrays, as the source reads them: a list of the elements' values.
            return (rs, i) -> {
                String text = rs.getString(i);
                return text == null ? null : PostgresArrayLiteral.parse(type.substring(1), text);
            };
        }
        return switch (type) {
            case "int2", "int4", "serial", "smallserial" -> (rs, i) -> {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            };
            case "int8", "bigserial" -> (rs, i) -> {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            };
            case "numeric" -> ResultSet::getBigDecimal;
            case "float4" -> (rs, i) -> {
                float v = rs.getFloat(i);
                return rs.wasNull() ? null : v;
            };
            case "float8" -> (rs, i) -> {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            };
            case "bool" -> (rs, i) -> {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : v;
            };
            case "varchar", "bpchar", "text", "citext", "json", "jsonb", "uuid", "inet", "cidr", "macaddr", "macaddr8", "tsvector",
                 "xml" -> ResultSet::getString;
            case "bytea" -> ResultSet::getBytes;
            case "date" -> (rs, i) -> rs.getObject(i, LocalDate.class);
            case "time" -> (rs, i) -> rs.getObject(i, LocalTime.class);
            case "timestamp" -> (rs, i) -> rs.getObject(i, LocalDateTime.class);
            case "timestamptz" -> (rs, i) -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            };
            // tapflow writes intervals as H:MM:SS text and PostgreSQL prints them back in that form.
            case "interval" -> (rs, i) -> {
                String text = rs.getString(i);
                return text == null ? null : DurationText.parse(text);
            };
            default -> throw new TapflowException("column " + column + " has type " + type + ", which tapflow verify cannot read");
        };
    }
}
