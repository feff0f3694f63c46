package io.tapflow.flink.source.snapshot;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.MySqlTimeOfDay;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows of a snapshot SELECT into READ change events holding the same canonical values the binlog path produces
 * (see {@code DebeziumValueConverter} for the rules; {@code TypeMappingITCase} checks both paths agree). The
 * connection's session time zone is UTC, so TIMESTAMP text is the stored instant in UTC. One converter per column is
 * chosen up front; the per-row path only reads.
 */
final class MySqlRowReader {
    /** Reads one column of the current row; null for SQL NULL. */
    private interface ColumnReader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    private final String table;
    private final String[] names;
    private final ColumnReader[] readers;
    private final String[] keyColumns;
    private final int rowCapacity;

    MySqlRowReader(TableSchema schema) {
        this.table = schema.qualifiedName();
        List<Column> columns = schema.columns();
        this.names = columns.stream().map(Column::name).toArray(String[]::new);
        this.readers = columns.stream().map(c -> readerFor(c, table + "." + c.name())).toArray(ColumnReader[]::new);
        this.keyColumns = schema.primaryKey().toArray(String[]::new);
        this.rowCapacity = (int) (names.length / 0.75f) + 1;
    }

    ChangeEvent read(ResultSet rs, long readAtMs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>(rowCapacity);
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], readers[i].read(rs, i + 1));
        }
        Map<String, Object> key = new LinkedHashMap<>(4);
        for (String k : keyColumns) {
            key.put(k, row.get(k));
        }
        return new ChangeEvent(Op.READ, table, key, null, row, readAtMs);
    }

    private static ColumnReader readerFor(Column c, String qualifiedColumn) {
        return switch (c.dataType()) {
            case "tinyint", "smallint", "mediumint", "year" -> (rs, i) -> {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            };
            case "int", "integer" -> c.unsigned() ? MySqlRowReader::readLong : (rs, i) -> {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            };
            case "bigint" -> c.unsigned() ? MySqlRowReader::readDecimal : MySqlRowReader::readLong;
            case "decimal", "numeric" -> MySqlRowReader::readDecimal;
            case "float" -> (rs, i) -> {
                float v = rs.getFloat(i);
                return rs.wasNull() ? null : v;
            };
            case "double", "real" -> (rs, i) -> {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            };
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json" ->
                    ResultSet::getString;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> ResultSet::getBytes;
            case "bit" -> c.precision() <= 1 ? (rs, i) -> {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : v;
            } : (rs, i) -> {
                byte[] bits = rs.getBytes(i);
                return bits == null ? null : bigEndianBits(bits);
            };
            case "date" -> (rs, i) -> rs.getObject(i, LocalDate.class);
            case "time" -> (rs, i) -> {
                String text = rs.getString(i);
                return text == null ? null : MySqlTimeOfDay.parse(text, qualifiedColumn);
            };
            case "datetime" -> (rs, i) -> rs.getObject(i, LocalDateTime.class);
            case "timestamp" -> (rs, i) -> {
                LocalDateTime utc = rs.getObject(i, LocalDateTime.class);
                return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
            };
            default -> (rs, i) -> {
                throw new TapflowException("column " + qualifiedColumn + " has a type tapflow does not support yet ("
                        + c.columnType() + ")");
            };
        };
    }

    private static Object readLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Object readDecimal(ResultSet rs, int i) throws SQLException {
        return rs.getBigDecimal(i);
    }

    private static long bigEndianBits(byte[] bits) {
        long value = 0;
        for (byte b : bits) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }
}
