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
    /**
     * Connections per SQL datasource. Queries beyond them wait their turn in the pool: more connections than the
     * database has cores to run them make every query slower and the slowest much slower (PostgreSQL's own advice is
     * about twice its cores), so a small pool serves more requests at a steadier latency than one per request.
     */
    public static final int DEFAULT_POOL_SIZE = 8;
    private final Map<String, Backend> open = new LinkedHashMap<>();
    private final int timeoutSeconds;
    private final int poolSize;

    public Backends(int timeoutSeconds) {
        this(timeoutSeconds, DEFAULT_POOL_SIZE);
    }

    /** @param poolSize connections per SQL datasource */
    public Backends(int timeoutSeconds, int poolSize) {
        this.timeoutSeconds = timeoutSeconds;
        this.poolSize = poolSize;
    }

    /** The connector identifier of a datasource's type, aliases ("mariadb", "postgresql", "mongo") included. */
    public static String typeOf(DataSource ds) {
        return ConnectorTypes.find(ds.type()).map(ConnectorType::identifier).orElse(ds.type());
    }

    public synchronized Backend of(DataSource ds) {
        return open.computeIfAbsent(ds.name(), n -> {
            DataSource resolved = ds.resolved();
            return switch (typeOf(ds)) {
                case "postgres" -> new JdbcBackend(SqlDialect.POSTGRES, resolved, timeoutSeconds, poolSize);
                case "mysql" -> new JdbcBackend(SqlDialect.MYSQL, resolved, timeoutSeconds, poolSize);
                case "mongodb" -> new MongoBackend(resolved, timeoutSeconds);
                case "elasticsearch" -> new ElasticsearchBackend(resolved, timeoutSeconds);
                default -> throw new TapflowException("datasource '" + ds.name() + "' is " + ds.type()
                        + "; APIs can be served from " + String.join(", ", new java.util.TreeSet<>(TYPES)));
            };
        });
    }

    /** Connections the SQL datasources opened so far may hold at most. */
    public synchronized int sqlConnections() {
        return poolSize * (int) open.values().stream().filter(b -> b instanceof JdbcBackend).count();
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Backend::close);
        open.clear();
    }
}
