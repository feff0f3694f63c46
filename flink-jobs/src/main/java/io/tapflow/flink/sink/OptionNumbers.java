package io.tapflow.flink.sink;

import io.tapflow.dsl.DataSource;
import java.util.List;

/** Reads whole-number datasource options of the targets, collecting bad values as problems. */
public final class OptionNumbers {
    private OptionNumbers() {}

    /** The option's value, which must be a whole number from 1 to 2^31-1; the default when it is unset. */
    public static long positive(DataSource ds, String key, long defaultValue, List<String> problems) {
        String text = ds.options().get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("option '" + key + "' is '" + text + "'; expected a whole number above 0");
        return defaultValue;
    }
}
