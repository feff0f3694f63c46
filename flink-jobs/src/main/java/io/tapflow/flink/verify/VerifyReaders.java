package io.tapflow.flink.verify;

import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlan;

/**
 * The readers {@code tapflow verify} has for each datasource type. A connector becomes verifiable as a target with a
 * {@link TargetReader} and one line here.
 */
public final class VerifyReaders {
    private static final String SOURCES = "mysql, postgres";
    private static final String TARGETS = "mysql, postgres, mongodb, elasticsearch, kafka";

    private VerifyReaders() {}

    public static SourceReader source(DataSource resolved) {
        return switch (ConnectorTypes.get(resolved.type()).identifier()) {
            case "mysql" -> new MySqlSourceReader(resolved);
            case "postgres" -> new PostgresSourceReader(resolved, true);
            default -> throw unsupported(resolved, "source", SOURCES);
        };
    }

    /** @param pipeline the pipeline's name (Kafka topic names may hold it) */
    public static TargetReader target(DataSource resolved, String pipeline) {
        return switch (ConnectorTypes.get(resolved.type()).identifier()) {
            case "mysql" -> new JdbcTargetReader(resolved, false);
            case "postgres" -> new JdbcTargetReader(resolved, true);
            case "mongodb" -> new MongoTargetReader(resolved);
            case "elasticsearch" -> new ElasticsearchTargetReader(resolved);
            case "kafka" -> new KafkaTargetReader(resolved, pipeline);
            default -> throw unsupported(resolved, "target", TARGETS);
        };
    }

    /**
     * Whether a running job can verify itself by sampling keys: its sources and target all have readers, and the
     * target is not Kafka (whose reader holds a topic's latest row per key in memory, which a task manager should not).
     * Fails with the reason, for a check before anything is created.
     */
    public static void checkSampling(JobPlan plan, String what) {
        io.tapflow.flink.job.LookupTables.requireNone(plan.pipeline(), what);
        for (JobPlan.Source s : plan.sources()) {
            check(s.datasource(), "source", SOURCES, what);
        }
        check(plan.target(), "target", TARGETS, what);
        if (ConnectorTypes.get(plan.target().type()).identifier().equals("kafka")) {
            throw new TapflowException(what + ": a Kafka target is verified by reading its topics whole (the latest message"
                    + " of each key), which a running job does not do; run tapflow verify instead");
        }
    }

    private static void check(DataSource ds, String role, String supported, String what) {
        String id = ConnectorTypes.get(ds.type()).identifier();
        if (!java.util.Arrays.asList(supported.split(", ")).contains(id)) {
            throw new TapflowException(what + ": " + unsupported(ds, role, supported).getMessage());
        }
    }

    private static TapflowException unsupported(DataSource ds, String role, String supported) {
        return new TapflowException("tapflow verify cannot read datasource '" + ds.name() + "' (" + ds.type() + ") as a "
                + role + " yet; it reads " + role + "s of type " + supported);
    }
}
