package io.tapflow.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a datasource definition against its connector type: known type, required options present, no unknown options. */
public final class DataSourceValidator {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private DataSourceValidator() {}

    public static void validate(DataSource ds) {
        List<String> problems = problems(ds);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("datasource '" + ds.name() + "'", problems);
        }
    }

    /** Every problem of the definition, phrased without the datasource name (the caller names it). */
    public static List<String> problems(DataSource ds) {
        List<String> problems = new ArrayList<>();
        if (ds.name() == null || !NAME.matcher(ds.name()).matches()) {
            problems.add("name '" + ds.name() + "' is not allowed; use letters, digits, '_', '-' and '.'");
        }
        var type = ConnectorTypes.find(ds.type());
        if (type.isEmpty()) {
            problems.add("unknown datasource type '" + ds.type() + "'" + ClosestName.hint(String.valueOf(ds.type()), ConnectorTypes.names())
                    + "; known types: " + String.join(", ", ConnectorTypes.names()));
            return problems;
        }
        List<String> allowed = type.get().options().stream().map(OptionDef::key).toList();
        for (OptionDef option : type.get().options()) {
            String value = ds.options().get(option.key());
            if (option.required() && (value == null || value.isBlank())) {
                problems.add("missing required option '" + option.key() + "' (" + option.description() + ")");
            }
            if (value != null && !option.choices().isEmpty() && !option.choices().contains(value)) {
                problems.add("option '" + option.key() + "' must be one of " + String.join(", ", option.choices())
                        + ", got '" + value + "'");
            }
        }
        for (String key : ds.options().keySet()) {
            if (type.get().options().stream().noneMatch(o -> o.matches(key))) {
                problems.add("unsupported option '" + key + "'" + ClosestName.hint(key, allowed) + "; " + type.get().identifier()
                        + " options are: " + String.join(", ", allowed));
            }
        }
        String port = ds.options().get("port");
        if (port != null && (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            problems.add("option 'port' must be a number from 1 to 65535, got '" + port + "'");
        }
        return problems;
    }
}
