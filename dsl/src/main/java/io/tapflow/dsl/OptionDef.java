package io.tapflow.dsl;

import java.util.List;

/**
 * One option a connector accepts: its key, whether it is required, its default, whether its value is secret
 * (never printed or logged), and the values it allows (empty: any). A key ending in a placeholder such as
 * {@code columns.<topic>} stands for every key with that prefix.
 */
public record OptionDef(String key, boolean required, String defaultValue, boolean secret, String description,
                        List<String> choices) {

    public OptionDef {
        choices = List.copyOf(choices);
    }

    /** Whether a datasource's option key is this option (or, for a placeholder key, one of the keys it stands for). */
    public boolean matches(String optionKey) {
        int placeholder = key.indexOf('<');
        return placeholder < 0 ? key.equals(optionKey)
                : optionKey.length() > placeholder && optionKey.startsWith(key.substring(0, placeholder));
    }

    public static OptionDef required(String key, String description) {
        return new OptionDef(key, true, null, false, description, List.of());
    }

    public static OptionDef optional(String key, String defaultValue, String description) {
        return new OptionDef(key, false, defaultValue, false, description, List.of());
    }

    public static OptionDef secret(String key, boolean required, String description) {
        return new OptionDef(key, required, null, true, description, List.of());
    }

    /** An optional option that takes one of a few words; the first is the default. */
    public static OptionDef choice(String key, String description, String... choices) {
        return new OptionDef(key, false, choices[0], false, description, List.of(choices));
    }
}
