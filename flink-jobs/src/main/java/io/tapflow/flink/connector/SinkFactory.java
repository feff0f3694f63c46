package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** A connector that can take keyed upserts and deletes. */
public interface SinkFactory extends ConnectorFactory {

    /**
     * Checks the target can take these tables and creates the missing ones, only after every check passed.
     *
     * @return names of the tables (or collections) created
     */
    List<String> prepare(DataSource resolvedDataSource, List<TargetTable> tables);

    Sink<ChangeEvent> createSink(DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options);

    /**
     * A writer of this sink used outside a Flink job ({@code tapflow verify --repair}): the same key and type mapping
     * as the job's sink; nothing is written before {@link SinkWriter#flush}. Connectors without one keep this default.
     */
    default SinkWriter<ChangeEvent> createWriter(DataSource resolvedDataSource, List<TargetTable> tables) throws IOException {
        throw new TapflowException("repairing a " + identifier() + " target is not supported yet");
    }

    /** As {@link #prepare(DataSource, List)}, for targets that need the pipeline's name or error policy. */
    default List<String> prepare(DataSource resolvedDataSource, List<TargetTable> tables, SinkContext context) {
        return prepare(resolvedDataSource, tables);
    }

    /** As {@link #createSink(DataSource, List, SinkOptions)}, for targets that apply the error policy to refused rows. */
    default Sink<ChangeEvent> createSink(DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options,
                                         SinkContext context) {
        return createSink(resolvedDataSource, tables, options);
    }

    /**
     * Whether the target writes each change as it comes instead of the latest state per key (a log such as Kafka): it
     * then needs an update that moves a row to another key as a delete of the old key and an insert of the new one.
     */
    default boolean writesEachChange() {
        return false;
    }

    /**
     * Whether the target promises its readers each change once, across restores (Kafka with
     * {@code delivery=exactly-once}): the job then needs aligned checkpoints ({@code JobTranslator}).
     */
    default boolean deliversExactlyOnce(DataSource resolvedDataSource) {
        return false;
    }

    /**
     * The statement that {@link #prepare} runs to create the table when it is missing, for {@code tapflow explain};
     * null where the target creates tables (collections, indexes, topics) without a schema statement.
     */
    default String createStatement(DataSource resolvedDataSource, TargetTable table) {
        return null;
    }

    /**
     * Makes a schema change in a target table while the job runs; returns the statement run, or null where the target
     * has no fixed columns (schemaless documents take the new shape as they are written).
     */
    default String applySchemaChange(DataSource resolvedDataSource, String table, io.tapflow.flink.schema.SchemaChange change) {
        return null;
    }

    /**
     * Whether the target's writer makes dropped and renamed columns itself, in order with the rows
     * ({@code BufferedUpsertWriter.alter}); otherwise the schema-change follower makes them ahead of the rows.
     */
    default boolean altersInOrder() {
        return false;
    }

    /**
     * Whether the target's writer makes this change itself, in order with the rows (see {@link #altersInOrder()}):
     * dropped and renamed columns where it alters in order; a target may take more changes that way.
     */
    default boolean altersInOrder(io.tapflow.flink.schema.SchemaChange change) {
        return altersInOrder() && io.tapflow.flink.schema.TargetSchemaChanges.inOrder(change);
    }

    /**
     * Whether the target's writer can empty a table ({@code BufferedUpsertWriter.truncate}), which a source table's
     * TRUNCATE does under the schema-change policy evolve.
     */
    default boolean appliesTruncate() {
        return false;
    }

    /**
     * Whether the sink's writers write a source table's TRUNCATE into the target themselves (Kafka's truncate message
     * in every partition of the topic) instead of emptying the table: at parallelism &gt; 1 every sink subtask first
     * writes the rows before it, then each writes its share, and none goes on with the rows after it until all have
     * ({@code SchemaChangeBarrier}).
     */
    default boolean writesTruncate() {
        return false;
    }

    /**
     * Whether this target's TRUNCATE message names the truncated source table, so that where several source tables
     * write one target table (a union) a reader can tell which rows it covers without a field of the rows saying so.
     */
    default boolean truncateNamesSourceTable(DataSource resolvedDataSource) {
        return false;
    }

    /**
     * Why a source table's TRUNCATE under the schema-change policy evolve is not passed on to this target; null when it
     * is (the target is emptied, {@link #appliesTruncate}, or is told of it another way, as Kafka's truncate message).
     */
    default String truncateRefusal(DataSource resolvedDataSource) {
        return appliesTruncate() ? null : identifier() + " targets are not emptied";
    }

    /** What a source table's TRUNCATE that {@link #truncateRefusal} lets through does to the target table, for the log. */
    default String truncateEffect(DataSource resolvedDataSource, String table) {
        return "every row of " + table + " deleted";
    }

    /**
     * Deletes a target table's rows in scope (every row, or a union's rows of one source table) while the job runs (a
     * source table's TRUNCATE reaching parallel sink subtasks, once all have written the rows before it); returns what
     * was done. Targets whose {@link #appliesTruncate} holds override this.
     */
    default String emptyTable(DataSource resolvedDataSource, String table, io.tapflow.flink.schema.TruncateScope scope) {
        throw new TapflowException(identifier() + " target table " + table + " cannot be emptied");
    }

    /**
     * Whether the sink's writer writes every row it holds, and waits for the target to take them, when a checkpoint is
     * taken, so that a completed checkpoint means the target has every row that came before it.
     */
    default boolean writesAllOnCheckpoint() {
        return false;
    }

    /**
     * The sink of the snapshot rows' forward path ({@code SnapshotForwarding}), which runs beside the keyed sink of
     * {@link #createSink(DataSource, List, SinkOptions, SinkContext)} in the same job: the same sink unless two
     * instances of it in one job must differ (Kafka's transactional ids).
     */
    default Sink<ChangeEvent> createSnapshotRowsSink(DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options,
                                                     SinkContext context) {
        return createSink(resolvedDataSource, tables, options, context);
    }

    /**
     * What the target does with a column change of a source table that the pipeline follows (lenient and evolve), for
     * {@code tapflow explain}, where it is neither a SQL table's ALTER TABLE nor a schemaless document's; null: one of
     * those.
     */
    default String columnChangeEffect(io.tapflow.dsl.SchemaChangeKind kind) {
        return null;
    }

    /** Whether rows may carry fields beyond the planned columns (schemaless targets); SQL tables take only those. */
    default boolean acceptsUnplannedFields() {
        return false;
    }
}
