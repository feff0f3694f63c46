package io.tapflow.flink.verify;

import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;

/**
 * The readers {@code tapflow verify} has for each datasource type. A connector becomes verifiable as a target with a
 * {@link TargetReader} and one line here (Elasticsearch and Kafka targets are not yet).
 */
public final class VerifyReaders {
    private VerifyReaders() {}

    public static SourceReader source(DataSource resolved) {
        return switch (ConnectorTypes.get(resolved.type()).identifier()) {
            case "mysql" -> new MySqlSourceReader(resolved);
            case "postgres" -> new PostgresSourceReader(resolved);
            default -> throw unsupported(resolved, "source", "mysql, postgres");
        };
    }

    public static TargetReader target(DataSource resolved) {
        return switch (ConnectorTypes.get(resolved.type()).identifier()) {
            case "mysql" -> new JdbcTargetReader(resolved, false);
            case "postgres" -> new JdbcTargetReader(resolved, true);
            case "mongodb" -> new MongoTargetReader(resolved);
            default -> throw unsupported(resolved, "target", "mysql, postgres, mongodb");
        };
    }

    private static TapflowException unsupported(DataSource ds, String role, String supported) {
        return new TapflowException("tapflow verify cannot read datasource '" + ds.name() + "' (" + ds.type() + ") as a "
                + role + " yet; it reads " + role + "s of type " + supported);
    }
}
