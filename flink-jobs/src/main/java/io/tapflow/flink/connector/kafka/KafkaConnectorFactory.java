package io.tapflow.flink.connector.kafka;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.kafka.KafkaFormat;
import io.tapflow.flink.sink.kafka.KafkaTargetOptions;
import io.tapflow.flink.sink.kafka.KafkaTargetSink;
import io.tapflow.flink.sink.kafka.KafkaTargets;
import io.tapflow.flink.source.kafka.KafkaChangeSource;
import io.tapflow.flink.source.kafka.KafkaSourceInspector;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

/**
 * Kafka as a target (a topic per target table, one message per change, keyed by the target key) and as a source (topics
 * of debezium-json, canal-json or json messages; a table name {@code regex:...} stands for the topics it matches).
 */
public final class KafkaConnectorFactory implements SinkFactory, SourceFactory {

    @Override
    public String identifier() {
        return "kafka";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return KafkaTargets.listTopics(ds);
    }

    @Override
    public SourceTables inspect(DataSource ds, List<String> tables, List<String> keyOverride) {
        return new SourceTables(new KafkaSourceInspector(ds).inspect(tables, keyOverride), ZoneOffset.UTC);
    }

    @Override
    public Source<ChangeEvent, ?, ?> createSource(DataSource ds, SourceTables tables, List<String> keyOverride,
                                                  String pipelineName, int parallelism) {
        return createSource(ds, tables, keyOverride, pipelineName, parallelism, ErrorPolicy.FAIL);
    }

    @Override
    public Source<ChangeEvent, ?, ?> createSource(DataSource ds, SourceTables tables, List<String> keyOverride,
                                                  String pipelineName, int parallelism, ErrorPolicy onError) {
        return KafkaChangeSource.create(ds, tables.tables(), onError, pipelineName);
    }

    /** debezium-json op "t", canal-json's TRUNCATE message and json's op field "t" are TRUNCATEs of the topic's table. */
    @Override
    public boolean readsTruncates() {
        return true;
    }

    @Override
    public boolean emitsDeadLetters() {
        return true;
    }

    @Override
    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        throw deadLettersUnsupported();
    }

    @Override
    public List<String> prepare(DataSource ds, List<TargetTable> tables, SinkContext context) {
        return KafkaTargets.prepare(ds, tables, context.pipelineName());
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        throw deadLettersUnsupported();
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return KafkaTargetSink.create(KafkaTargetOptions.of(ds), tables, context.newTables(), context.pipelineName(), "");
    }

    /**
     * Its own transactional ids: two KafkaSinks of one prefix in a job would fence each other's producers. A
     * pipeline's name cannot hold "/", so no other pipeline's ids can be these.
     */
    @Override
    public Sink<ChangeEvent> createSnapshotRowsSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return KafkaTargetSink.create(KafkaTargetOptions.of(ds), tables, context.newTables(), context.pipelineName(), "/snapshot");
    }

    /** Only the dead-letter table is prepared without a pipeline; Kafka topics are named after the pipeline. */
    private static TapflowException deadLettersUnsupported() {
        return new TapflowException("a Kafka datasource cannot hold the dead-letter table; name a table of a PostgreSQL,"
                + " MySQL or MongoDB datasource in the dead_letter error policy");
    }

    @Override
    public String columnChangeEffect(SchemaChangeKind kind) {
        return switch (kind) {
            case ADD_COLUMN, DROP_COLUMN, RENAME_COLUMN, MODIFY_COLUMN ->
                    "no DDL: messages carry the row's new shape from then on";
            default -> null;
        };
    }

    @Override
    public boolean writesEachChange() {
        return true;
    }

    /**
     * A topic cannot be emptied: a TRUNCATE becomes a truncate message (ChangeEventRecords), except in plain json,
     * where a delete is a tombstone of the row's key and the sink keeps no keys of the rows it wrote.
     */
    @Override
    public String truncateRefusal(DataSource ds) {
        KafkaTargetOptions options = KafkaTargetOptions.of(ds);
        if (options.format() == KafkaFormat.JSON && options.opField() == null) {
            return "format json writes a delete as a tombstone of the row's key, and the sink keeps no keys of the rows "
                    + "it wrote, so no message is written; set option json.op-field to get a truncate message, or use "
                    + "format debezium-json or canal-json";
        }
        return null;
    }

    @Override
    public boolean writesTruncate() {
        return true;
    }

    /** debezium-json's truncate message has the table in its source block, canal-json's in database and table. */
    @Override
    public boolean truncateNamesSourceTable(DataSource ds) {
        return KafkaTargetOptions.of(ds).format() != KafkaFormat.JSON;
    }

    @Override
    public String truncateEffect(DataSource ds, String table) {
        return "a truncate message (no key) written to every partition of the topic of " + table + ", in order with "
                + "each partition's rows (the topic keeps its messages)";
    }

    @Override
    public boolean deliversExactlyOnce(DataSource ds) {
        return KafkaTargetOptions.of(ds).exactlyOnce();
    }

    /**
     * KafkaSink's writer flushes its producer before each checkpoint barrier, at least once and exactly once alike,
     * and the flush returns when the broker has acknowledged every record (acks=all). A record's partition comes from
     * its key alone (ChangeEventRecords names none), so a key's snapshot row and its changes share one partition
     * whichever subtask writes them; on the snapshot rows' forward path the snapshot row is appended before the change
     * stream starts, so it has the lower offset and every consumer, read_committed ones too, reads it first.
     */
    @Override
    public boolean writesAllOnCheckpoint() {
        return true;
    }
}
