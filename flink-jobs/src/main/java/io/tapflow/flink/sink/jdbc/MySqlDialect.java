package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.source.mysql.MySqlConnections;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** MySQL/MariaDB as a target: columns keep their source declaration; TIMESTAMP values are written as UTC instants. */
public final class MySqlDialect implements JdbcDialect {
    private static final long serialVersionUID = 1L;
    // Temporal values go as text: Connector/J reads MariaDB's version as 5.5.5 and would drop fractional seconds.
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    /** InnoDB's longest index key (DYNAMIC rows, MySQL 5.7+ and MariaDB 10.2+). */
    private static final long MAX_KEY_BYTES = 3072;

    @Override
    public String jdbcUrl(DataSource ds) {
        // Session time zone UTC, so TIMESTAMP columns store the instant bound below without shifting.
        return MySqlConnections.jdbcUrl(ds) + "&forceConnectionTimeZoneToSession=true";
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String qualifiedName(DataSource ds, String table) {
        return quote(table);
    }

    @Override
    public String upsertSql(String qualifiedTable, List<String> columns, List<String> keyFields) {
        String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        List<String> updated = columns.stream().filter(c -> !keyFields.contains(c)).toList();
        if (updated.isEmpty()) {
            updated = keyFields.subList(0, 1);
        }
        return "INSERT INTO " + qualifiedTable + " (" + cols + ") VALUES (" + params + ") ON DUPLICATE KEY UPDATE "
                + updated.stream().map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
    }

    /**
     * MySQL cannot key a TEXT column (a PostgreSQL text, varchar or bpchar key without a length, as Northwind's
     * customer_id bpchar): such key columns become varchar, sharing InnoDB's 3,072-byte key between them at 4 bytes a
     * character (varchar(768) for a key of one). A longer key value is refused by MySQL as an error of its row.
     */
    @Override
    public String createTableSql(String qualifiedTable, TargetTable table) {
        long textKeys = table.columns().stream().filter(c -> table.keyFields().contains(c.name()) && isText(c)).count();
        if (textKeys == 0) {
            return JdbcDialect.super.createTableSql(qualifiedTable, table);
        }
        long length = MAX_KEY_BYTES / 4 / textKeys;
        List<Column> columns = table.columns().stream()
                .map(c -> table.keyFields().contains(c.name()) && isText(c)
                        ? new Column(c.name(), "varchar", "varchar(" + length + ")", length, -1, -1, c.nullable(), false) : c)
                .toList();
        return JdbcDialect.super.createTableSql(qualifiedTable,
                new TargetTable(table.sourceTable(), table.name(), table.keyFields(), columns));
    }

    private static boolean isText(Column c) {
        return c.columnType().endsWith("text");
    }

    @Override
    public String modifyColumnSql(Column c) {
        return "MODIFY COLUMN " + quote(c.name()) + " " + columnType(c) + " NULL";
    }

    @Override
    public String columnType(Column c) {
        return switch (c.dataType()) {
            // Added fields carry no MySQL declaration of their own; everything from a MySQL source does.
            case "timestamp" -> c.columnType().startsWith("timestamp") ? c.columnType() : "timestamp(3)";
            case "boolean" -> "tinyint(1)";
            case Column.DOCUMENT, Column.ARRAY -> "json";
            // FLOAT(M,D) rounds its input to D digits, then to a float, which may exceed M digits: FLOAT(10,2) accepts
            // 99999999.00, holds the float 1.0E8 and refuses that same float on insert. The values are floats already
            // rounded by the source, so the target declares the float without (M,D) and takes every one of them.
            case "float", "double" -> c.columnType().replaceFirst("\\(\\d+,\\d+\\)", "");
            default -> c.columnType();
        };
    }

    /**
     * MySQL rounds the fraction digits a DECIMAL column has no room for, with a note and no error, even in strict
     * mode: such a value (from PostgreSQL's numeric without precision, written as decimal(65,30)) is refused.
     */
    @Override
    public void checkFits(Column c, BigDecimal value) {
        if (!c.dataType().equals("decimal")) {
            return;
        }
        boolean declared = c.precision() > 0;
        int precision = declared ? c.precision() : 65;
        int scale = declared ? Math.max(0, c.scale()) : 30;
        BigDecimal v = value.stripTrailingZeros();
        int fraction = Math.max(0, v.scale());
        int whole = v.precision() - v.scale();
        if (fraction > scale || whole > precision - scale) {
            String text = value.toPlainString();
            throw new TapflowException("column '" + c.name() + "' holds " + (text.length() > 60 ? text.substring(0, 57) + "..." : text)
                    + " (" + Math.max(0, whole) + " digits before the point, " + fraction + " after), which the MySQL column "
                    + columnType(c) + " (at most " + (precision - scale) + " and " + scale + ") cannot hold without rounding");
        }
    }

    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant i) {
            ps.setString(index, DATETIME.format(i.atOffset(ZoneOffset.UTC).toLocalDateTime()));
        } else if (value instanceof LocalDateTime t) {
            ps.setString(index, DATETIME.format(t));
        } else if (value instanceof LocalTime t) {
            ps.setString(index, TIME.format(t));
        } else if (value instanceof Duration d) {
            ps.setString(index, DurationText.format(d));
        } else if (value instanceof byte[] b) {
            ps.setBytes(index, b);
        } else if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
            // An embedded row or array (lookup) into its JSON column.
            ps.setString(index, io.tapflow.flink.sink.JsonValues.value(value).toString());
        } else if ((value instanceof Float || value instanceof Double) && ((Number) value).doubleValue() == 0
                && 1 / ((Number) value).doubleValue() < 0) {
            // The driver sends -0.0 as the literal -0.0, which MySQL reads as a DECIMAL zero and stores as 0: the sign
            // of a negative zero (which FLOAT and DOUBLE columns hold) was lost. As a float literal it is kept.
            ps.setString(index, "-0E0");
        } else if (value instanceof Float f) {
            // As its exact double: the float's shortest text (3.4028235E38 for the largest) can exceed FLOAT's range.
            ps.setDouble(index, f.doubleValue());
        } else {
            ps.setObject(index, value);
        }
    }
}
