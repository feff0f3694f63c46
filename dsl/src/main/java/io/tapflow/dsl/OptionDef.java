package io.tapflow.dsl;

/**
 * One option a connector accepts: its key, whether it is required, its default, and whether its value is secret
 * (never printed or logged).
 */
public record OptionDef(String key, boolean required, String defaultValue, boolean secret, String description) {

    public static OptionDef required(String key, String description) {
        return new OptionDef(key, true, null, false, description);
    }

    public static OptionDef optional(String key, String defaultValue, String description) {
        return new OptionDef(key, false, defaultValue, false, description);
    }

    public static OptionDef secret(String key, boolean required, String description) {
        return new OptionDef(key, required, null, true, description);
    }
}
