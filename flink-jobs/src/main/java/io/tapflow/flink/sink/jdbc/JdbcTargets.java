package io.tapflow.flink.sink.jdbc;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.sink.ExplicitFlushTime;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The target-side operations of a JDBC connector, for one dialect: list, prepare, create the sink. */
public final class JdbcTargets {
    private final JdbcDialect dialect;

    public JdbcTargets(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    public List<String> listTables(DataSource ds) {
        try (Connection c = JdbcConnections.open(dialect, ds);
             ResultSet rs = c.getMetaData().getTables(dialect instanceof MySqlDialect ? ds.get("database") : null,
                     ds.get("schema"), "%", new String[] {"TABLE"})) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
            return tables;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return new JdbcTargetPreparer(dialect, ds).prepare(tables);
    }

    public JdbcUpsertSink createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        return new JdbcUpsertSink(dialect, ds, tables, options, null);
    }

    /** A sink that applies the pipeline's error policy (in {@code context}) to rows the target refuses for their data. */
    public JdbcUpsertSink createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return new JdbcUpsertSink(dialect, ds, tables, options, context);
    }

    /** A writer outside a Flink job, flushed by its caller (see {@link io.tapflow.flink.connector.SinkFactory#createWriter}). */
    public SinkWriter<ChangeEvent> createWriter(DataSource ds, List<TargetTable> tables) throws IOException {
        return new JdbcUpsertWriter(dialect, ds, tables, SinkOptions.DEFAULTS, new ExplicitFlushTime(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), null);
    }
}
