package io.tapflow.api;

import io.tapflow.dsl.ConnectorType;
import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** One {@link Backend} per datasource the served APIs read, opened on first use and closed together. */
public final class Backends implements AutoCloseable {
    /** The datasource types an API can be served from. */
    public static final Set<String> TYPES = Set.of("postgres", "mysql", "mongodb", "elasticsearch");
    private final Map<String, Backend> open = new LinkedHashMap<>();
    private final int timeoutSeconds;

    public Backends(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The connector identifier of a datasource's type, aliases ("mariadb", "postgresql", "mongo") included. */
    public static String typeOf(DataSource ds) {
        return ConnectorTypes.find(ds.type()).map(ConnectorType::identifier).orElse(ds.type());
    }

    public synchronized Backend of(DataSource ds) {
        return open.computeIfAbsent(ds.name(), n -> {
            DataSource resolved = ds.resolved();
            return switch (typeOf(ds)) {
                case "postgres" -> new JdbcBackend(SqlDialect.POSTGRES, resolved, timeoutSeconds);
                case "mysql" -> new JdbcBackend(SqlDialect.MYSQL, resolved, timeoutSeconds);
                case "mongodb" -> new MongoBackend(resolved, timeoutSeconds);
                case "elasticsearch" -> new ElasticsearchBackend(resolved, timeoutSeconds);
                default -> throw new TapflowException("datasource '" + ds.name() + "' is " + ds.type()
                        + "; APIs can be served from " + String.join(", ", new java.util.TreeSet<>(TYPES)));
            };
        });
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Backend::close);
        open.clear();
    }
}
