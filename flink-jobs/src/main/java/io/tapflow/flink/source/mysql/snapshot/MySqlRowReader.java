package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.dsl.DurationText;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.InvalidDate;
import io.tapflow.flink.source.mysql.MySqlTemporalText;
import io.tapflow.flink.source.mysql.ZeroDateRule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows of a snapshot SELECT into READ change events holding the same canonical values the binlog path produces
 * (see {@code DebeziumValueConverter} for the rules; {@code TypeMappingITCase} and {@code ValueEdgesITCase} check both
 * paths agree). Temporal columns arrive as the server's text (see {@code MySqlSql}) and are parsed by
 * {@link MySqlTemporalText}; the connection's session time zone is UTC, so TIMESTAMP text is the stored instant in
 * UTC. One converter per column is chosen up front; the per-row path only reads. {@code tapflow verify} reads source
 * rows (and MySQL target rows) with it too, so it compares exactly the values the job reads.
 */
public final class MySqlRowReader {
    /** Reads one column of the current row; null for SQL NULL. */
    private interface ColumnReader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    private final String table;
    private final String[] names;
    private final ColumnReader[] readers;
    private final String[] keyColumns;
    private final int rowCapacity;
    /** Which columns are DATE/DATETIME/TIMESTAMP, the only ones that can hold an InvalidDate. */
    private final boolean[] dateColumns;
    private final ZeroDateRule zeroDates;

    public MySqlRowReader(TableSchema schema, ZeroDateRule zeroDates) {
        this.table = schema.qualifiedName();
        List<Column> columns = schema.columns();
        this.names = columns.stream().map(Column::name).toArray(String[]::new);
        this.readers = columns.stream().map(c -> readerFor(c, table + "." + c.name())).toArray(ColumnReader[]::new);
        this.keyColumns = schema.primaryKey().toArray(String[]::new);
        this.rowCapacity = (int) (names.length / 0.75f) + 1;
        this.dateColumns = new boolean[columns.size()];
        for (int i = 0; i < dateColumns.length; i++) {
            dateColumns[i] = MySqlTemporalText.isDate(columns.get(i).dataType());
        }
        this.zeroDates = zeroDates;
    }

    public ChangeEvent read(ResultSet rs, long readAtMs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>(rowCapacity);
        boolean invalidDate = false;
        for (int i = 0; i < names.length; i++) {
            Object value = readers[i].read(rs, i + 1);
            row.put(names[i], value);
            invalidDate |= dateColumns[i] && value instanceof InvalidDate;
        }
        Map<String, Object> key = new LinkedHashMap<>(4);
        for (String k : keyColumns) {
            key.put(k, row.get(k));
        }
        if (invalidDate) {
            zeroDates.apply(table, row, key);
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
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : (float) v;
            };
            case "double", "real" -> (rs, i) -> {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            };
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json" ->
                    ResultSet::getString;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> ResultSet::getBytes;
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> ResultSet::getBytes;
            case "bit" -> bitReader(c.precision());
            case "date", "datetime", "timestamp" -> {
                MySqlTemporalText.Parser parser = MySqlTemporalText.parser(c.dataType());
                yield (rs, i) -> {
                    String text = rs.getString(i);
                    return text == null ? null : parser.parse(text);
                };
            }
            case "time" -> (rs, i) -> {
                String text = rs.getString(i);
                return text == null ? null : DurationText.parse(text);
            };
            default -> (rs, i) -> {
                throw new TapflowException("column " + qualifiedColumn + " has a type tapflow does not support yet ("
                        + c.columnType() + ")");
            };
        };
    }

    /** BIT(1) → Boolean, BIT(2..63) → Long, BIT(64) → BigDecimal (unsigned), as on the binlog path. */
    private static ColumnReader bitReader(int bits) {
        if (bits <= 1) {
            return (rs, i) -> {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : v;
            };
        }
        return (rs, i) -> {
            byte[] bytes = rs.getBytes(i);
            if (bytes == null) {
                return null;
            }
            BigInteger unsigned = new BigInteger(1, bytes);
            return bits >= 64 ? new BigDecimal(unsigned) : unsigned.longValueExact();
        };
    }

    private static Object readLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Object readDecimal(ResultSet rs, int i) throws SQLException {
        return rs.getBigDecimal(i);
    }
}
