package io.tapflow.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a datasource definition against its connector type: known type, required options present, no unknown options. */
public final class DataSourceValidator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** Names become file names under TAPFLOW_HOME (with suffixes), which most file systems cut at 255 bytes. */
    private static final int MAX_NAME_LENGTH = 100;

    private DataSourceValidator() {}

    public static void validate(DataSource ds) {
        List<String> problems = problems(ds);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("datasource '" + ds.name() + "'", problems);
        }
    }

    /** What is wrong with a datasource's or pipeline's name, if anything. */
    static Optional<String> nameProblem(String name) {
        if (name == null) {
            return Optional.of("no name (\"name\" : \"...\" in JSON); use ASCII letters, digits, '_', '-' and '.', starting with "
                    + "a letter or digit");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("name '" + name + "' is not allowed; use ASCII letters, digits, '_', '-' and '.', starting with a "
                    + "letter or digit");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("name '" + name.substring(0, 20) + "...' is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH);
        }
        return Optional.empty();
    }

    /** Every problem of the definition, phrased without the datasource name (the caller names it). */
    public static List<String> problems(DataSource ds) {
        List<String> problems = new ArrayList<>();
        nameProblem(ds.name()).ifPresent(problems::add);
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
