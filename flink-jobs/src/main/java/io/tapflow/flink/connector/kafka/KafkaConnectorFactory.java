package io.tapflow.flink.connector.kafka;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.kafka.KafkaTargetOptions;
import io.tapflow.flink.sink.kafka.KafkaTargetSink;
import io.tapflow.flink.sink.kafka.KafkaTargets;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;

/** Kafka as a target: a topic per target table, one message per change, keyed by the target key. */
public final class KafkaConnectorFactory implements SinkFactory {

    @Override
    public String identifier() {
        return "kafka";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return KafkaTargets.listTopics(ds);
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
        return KafkaTargetSink.create(KafkaTargetOptions.of(ds), tables, context.pipelineName());
    }

    /** Only the dead-letter table is prepared without a pipeline; Kafka topics are named after the pipeline. */
    private static TapflowException deadLettersUnsupported() {
        return new TapflowException("a Kafka datasource cannot hold the dead-letter table; name a table of a PostgreSQL,"
                + " MySQL or MongoDB datasource in the dead_letter error policy");
    }

    @Override
    public boolean writesEachChange() {
        return true;
    }
}
