package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;

/** The types a {@link Step.ChangeType} step converts to. */
public enum FieldType {
    @JsonProperty("string") STRING,
    /** A whole number (64 bit). */
    @JsonProperty("integer") INTEGER,
    /** An exact decimal number. */
    @JsonProperty("decimal") DECIMAL,
    @JsonProperty("double") DOUBLE,
    @JsonProperty("boolean") BOOLEAN,
    /** Milliseconds since 1970-01-01T00:00Z. */
    @JsonProperty("epoch_millis") EPOCH_MILLIS,
    @JsonProperty("date") DATE,
    /** A wall-clock date and time, no zone. */
    @JsonProperty("datetime") DATETIME,
    /** An absolute point in time (UTC). */
    @JsonProperty("timestamp") TIMESTAMP;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a name such as "integer" or "epoch_millis", with the allowed names in the error. */
    public static FieldType of(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new TapflowException("unknown field type '" + name + "'; allowed: "
                        + Arrays.stream(values()).map(FieldType::jsonName).toList()));
    }
}
