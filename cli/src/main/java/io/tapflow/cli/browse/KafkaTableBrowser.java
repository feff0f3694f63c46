package io.tapflow.cli.browse;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.kafka.KafkaSourceInspector;
import io.tapflow.flink.source.kafka.KafkaTopicMessages;
import java.util.List;
import java.util.Map;

/**
 * Browses the topics of a Kafka cluster: the columns a pipeline would learn from a sample of a topic's messages (and
 * the key its message keys name), its last messages, and how many it holds.
 */
final class KafkaTableBrowser implements TableBrowser {
    private final DataSource ds;

    KafkaTableBrowser(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
    }

    @Override
    public List<String> tables() {
        return List.copyOf(KafkaTopicMessages.topics(ds));
    }

    @Override
    public List<Column> columns(String table) {
        TableBrowser.require(ds, table, tables());
        TableSchema schema = new KafkaSourceInspector(ds).describe(table);
        return schema.columns().stream()
                .map(c -> new Column(c.name(), c.columnType(), schema.primaryKey().contains(c.name()))).toList();
    }

    /** The topic's last messages (a log has no first rows worth showing). */
    @Override
    public List<Map<String, String>> peek(String table, int n) {
        TableBrowser.require(ds, table, tables());
        return KafkaTopicMessages.last(ds, table, n);
    }

    @Override
    public long count(String table) {
        TableBrowser.require(ds, table, tables());
        return KafkaTopicMessages.count(ds, table);
    }
}
