package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The letter case a {@code rename_tables} step gives target table names. Elasticsearch index names must be lower case,
 * so mixed-case source tables ({@code Invoice}) need {@link #LOWER} to go there.
 */
public enum NameCase {
    @JsonProperty("unchanged") UNCHANGED,
    @JsonProperty("lower") LOWER,
    @JsonProperty("upper") UPPER;

    /** The name as the DSLs spell this case: "lower". */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Locale.ROOT: a Turkish default locale would turn "I" into a dotless "ı". */
    public String apply(String name) {
        return switch (this) {
            case UNCHANGED -> name;
            case LOWER -> name.toLowerCase(Locale.ROOT);
            case UPPER -> name.toUpperCase(Locale.ROOT);
        };
    }

    /** The case named {@code name} ("lower", "upper", "unchanged"; any letter case). */
    public static NameCase of(String name) {
        for (NameCase c : values()) {
            if (c.jsonName().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown table name case '" + name + "'; allowed: lower, upper, unchanged");
    }
}
