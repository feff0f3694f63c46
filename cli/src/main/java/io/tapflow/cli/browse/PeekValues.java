package io.tapflow.cli.browse;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;

/**
 * How {@code peek} prints a value: dates and times in ISO-8601 as everywhere else in tapflow ({@code 2017-10-02},
 * {@code 2017-10-02T19:32:06} for a wall-clock date-time, {@code 2017-10-02T19:32:06Z} for an instant), never in
 * {@link Date#toString()}'s {@code Mon Oct 02 19:32:06 UTC 2017}.
 */
final class PeekValues {
    static final String NULL = "NULL";

    private PeekValues() {}

    /** A column of a JDBC row; temporal columns are read as java.time values, which print in ISO-8601. */
    static String jdbc(ResultSet rs, int column) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Object value = switch (meta.getColumnType(column)) {
            case Types.DATE -> rs.getObject(column, LocalDate.class);
            case Types.TIME -> rs.getObject(column, LocalTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(column, OffsetDateTime.class);
            // PostgreSQL reports timestamptz as a plain TIMESTAMP; its type name tells the instant apart.
            case Types.TIMESTAMP -> meta.getColumnTypeName(column).equalsIgnoreCase("timestamptz")
                    ? rs.getObject(column, OffsetDateTime.class) : rs.getObject(column, LocalDateTime.class);
            default -> rs.getString(column);
        };
        return text(value);
    }

    /** A value as peek prints it; BSON dates are instants. */
    static String text(Object value) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof Date d) {
            return DateTimeFormatter.ISO_INSTANT.format(d.toInstant());
        }
        if (value instanceof OffsetDateTime t) {
            return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
        }
        if (value instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        return value.toString();
    }
}
