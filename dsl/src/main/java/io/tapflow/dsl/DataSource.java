package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A named connection to a database, e.g. {@code DataSource.of("mysql", "demo").host("localhost").port(3306)}.
 * Immutable: each option method returns a new instance. {@link #toString()} masks secret options.
 */
public record DataSource(String type, String name, Map<String, String> options) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @JsonCreator
    public DataSource(@JsonProperty("type") String type, @JsonProperty("name") String name,
                      @JsonProperty("options") Map<String, String> options) {
        this.type = type;
        this.name = name;
        // Sorted, so that the JSON form is stable and round-trips byte for byte.
        this.options = Collections.unmodifiableMap(new TreeMap<>(options == null ? Map.of() : options));
    }

    public static DataSource of(String type, String name) {
        return new DataSource(type, name, Map.of());
    }

    public DataSource option(String key, Object value) {
        Objects.requireNonNull(key, "option key");
        Map<String, String> copy = new TreeMap<>(options);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, String.valueOf(value));
        }
        return new DataSource(type, name, copy);
    }

    public DataSource host(String host) {
        return option("host", host);
    }

    public DataSource port(int port) {
        return option("port", port);
    }

    public DataSource username(String username) {
        return option("username", username);
    }

    /** The password, or a {@code ${env:NAME}} reference to keep it out of stored definitions. */
    public DataSource password(String password) {
        return option("password", password);
    }

    public DataSource database(String database) {
        return option("database", database);
    }

    public DataSource uri(String uri) {
        return option("uri", uri);
    }

    /** A table (or collection) of this datasource, to read from or write to. */
    public TableRef table(String table) {
        return new TableRef(name, table);
    }

    /**
     * The tables whose name matches one of these regular expressions, qualified ({@code shop\\.order_.*}) or bare
     * ({@code order_.*}); {@link TablePattern#except} leaves some out.
     */
    public TablePattern tables(String... regexes) {
        return new TablePattern(name, java.util.List.of(regexes), java.util.List.of());
    }

    /** Options with {@code ${env:NAME}} references replaced by the environment's values. */
    public DataSource resolved() {
        return resolved(System.getenv());
    }

    DataSource resolved(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        options.forEach((k, v) -> out.put(k, EnvReferences.resolve(v, env, "datasource '" + name + "' option '" + k + "'")));
        return new DataSource(type, name, out);
    }

    /** The value of an option, or its declared default. */
    public String get(String key) {
        String value = options.get(key);
        if (value != null) {
            return value;
        }
        return ConnectorTypes.find(type).flatMap(t -> t.option(key)).map(OptionDef::defaultValue).orElse(null);
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new TapflowException("datasource '" + name + "' option '" + key + "' must be a whole number, got '" + value + "'");
        }
    }

    /** Options safe to print: secret values are replaced by {@code ******} unless they are env references. */
    public Map<String, String> maskedOptions() {
        Map<String, String> out = new TreeMap<>();
        options.forEach((k, v) -> out.put(k, isSecret(k) ? Secrets.mask(v) : v));
        return Collections.unmodifiableMap(out);
    }

    private boolean isSecret(String key) {
        return ConnectorTypes.find(type).map(t -> t.isSecret(key)).orElse(true) || key.toLowerCase().contains("password");
    }

    @Override
    public String toString() {
        return "DataSource[" + type + " '" + name + "' " + maskedOptions().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}")) + "]";
    }
}
