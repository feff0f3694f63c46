package io.tapflow.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.bson.types.ObjectId;

/**
 * The types an API field has, from the table's real column types. Each parses a request value into the typed value
 * that is bound as a JDBC parameter or BSON value, and names itself in OpenAPI and in errors.
 */
public enum ColumnType {
    INTEGER("integer", "integer", "int64"),
    DECIMAL("decimal", "number", null),
    DOUBLE("double", "number", "double"),
    BOOLEAN("boolean", "boolean", null),
    STRING("string", "string", null),
    DATE("date", "string", "date"),
    /** A wall-clock date and time without zone. */
    DATETIME("datetime", "string", "date-time"),
    TIME("time", "string", "time"),
    /** An absolute point in time, rendered in UTC. */
    TIMESTAMP("timestamp", "string", "date-time"),
    OBJECT_ID("objectid", "string", null),
    /** Anything else (binary, JSON, arrays): returned, but not filterable or sortable. */
    OTHER("other", null, null);

    private final String displayName;
    private final String openApiType;
    private final String openApiFormat;

    ColumnType(String displayName, String openApiType, String openApiFormat) {
        this.displayName = displayName;
        this.openApiType = openApiType;
        this.openApiFormat = openApiFormat;
    }

    public String displayName() {
        return displayName;
    }

    public String openApiType() {
        return openApiType;
    }

    public String openApiFormat() {
        return openApiFormat;
    }

    public boolean comparable() {
        return this != OTHER;
    }

    /** The typed value of {@code raw}, or null when it is not one; the caller names the parameter in its 400. */
    public Object parse(String raw) {
        try {
            return switch (this) {
                case INTEGER -> Long.parseLong(raw);
                case DECIMAL -> new BigDecimal(raw);
                case DOUBLE -> parseDouble(raw);
                case BOOLEAN -> raw.equals("true") ? Boolean.TRUE : raw.equals("false") ? Boolean.FALSE : null;
                case STRING -> raw;
                case DATE -> LocalDate.parse(raw);
                case DATETIME -> LocalDateTime.parse(raw);
                case TIME -> LocalTime.parse(raw);
                case TIMESTAMP -> parseTimestamp(raw);
                case OBJECT_ID -> ObjectId.isValid(raw) ? new ObjectId(raw) : null;
                case OTHER -> null;
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    /** What a valid value looks like, for the 400 message. */
    public String example() {
        return switch (this) {
            case INTEGER -> "a whole number such as 42";
            case DECIMAL -> "a decimal number such as 12.50";
            case DOUBLE -> "a number such as 1.5e3";
            case BOOLEAN -> "true or false";
            case STRING -> "text";
            case DATE -> "an ISO date such as 2024-01-31";
            case DATETIME -> "an ISO date-time such as 2024-01-31T12:00:00";
            case TIME -> "an ISO time such as 12:30:00";
            case TIMESTAMP -> "an ISO instant such as 2024-01-31T12:00:00Z";
            case OBJECT_ID -> "a 24-digit hex ObjectId";
            case OTHER -> "nothing: this field cannot be filtered";
        };
    }

    private static Double parseDouble(String raw) {
        double d = Double.parseDouble(raw);
        // Double.parseDouble also takes "NaN", "Infinity" and hex forms; a filter value is a plain decimal number.
        return Double.isFinite(d) && raw.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?") ? d : null;
    }

    /** An instant with an offset; without one it is read as UTC, the zone timestamps are rendered in. */
    private static OffsetDateTime parseTimestamp(String raw) {
        try {
            return OffsetDateTime.parse(raw).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(raw).atOffset(ZoneOffset.UTC);
        }
    }
}
