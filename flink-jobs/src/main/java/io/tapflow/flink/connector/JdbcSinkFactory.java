package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.jdbc.JdbcTargets;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** The target side of a JDBC connector: every operation is its dialect's {@link JdbcTargets}. */
public interface JdbcSinkFactory extends SinkFactory {

    JdbcTargets targets();

    @Override
    default List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return targets().prepare(ds, tables);
    }

    @Override
    default List<String> prepare(DataSource ds, List<TargetTable> tables, SinkContext context) {
        return targets().prepare(ds, tables, context.schemaChanges().policyFor(io.tapflow.dsl.SchemaChangeKind.ADD_COLUMN));
    }

    @Override
    default Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        return targets().createSink(ds, tables, options);
    }

    /** With the error policy: a batch the target refuses for its data is written again row by row (see JdbcTargets). */
    @Override
    default Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return targets().createSink(ds, tables, options, context);
    }

    @Override
    default SinkWriter<ChangeEvent> createWriter(DataSource ds, List<TargetTable> tables) throws IOException {
        return targets().createWriter(ds, tables);
    }

    @Override
    default String createStatement(DataSource ds, TargetTable table) {
        return targets().createTableSql(ds, table);
    }

    @Override
    default boolean appliesTruncate() {
        return true;
    }

    @Override
    default String emptyTable(DataSource ds, String table, io.tapflow.flink.schema.TruncateScope scope) {
        return targets().emptyTable(ds, table, scope);
    }

    /** BufferedUpsertWriter#flush writes and commits every buffered row; Flink calls it before each checkpoint. */
    @Override
    default boolean writesAllOnCheckpoint() {
        return true;
    }

    @Override
    default boolean altersInOrder() {
        return true;
    }

    @Override
    default String applySchemaChange(DataSource ds, String table, SchemaChange change) {
        return targets().alter(ds, table, change);
    }
}
