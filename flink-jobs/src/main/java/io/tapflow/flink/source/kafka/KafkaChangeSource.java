package io.tapflow.flink.source.kafka;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * flink-connector-kafka's KafkaSource over the planned topics. Its offsets live in Flink's checkpoints and savepoints
 * (a restored job continues from them) and are also committed to the consumer group at each checkpoint, which is what
 * {@code scan.startup=group-offsets} starts from.
 */
public final class KafkaChangeSource {
    private KafkaChangeSource() {}

    public static KafkaSource<ChangeEvent> create(DataSource ds, List<TableSchema> tables, ErrorPolicy policy, String pipeline) {
        KafkaSourceOptions options = KafkaSourceOptions.of(ds, pipeline);
        return KafkaSource.<ChangeEvent>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(tables.stream().map(TableSchema::table).toList())
                .setGroupId(options.groupId())
                .setStartingOffsets(startingOffsets(options))
                .setDeserializer(new KafkaChangeDeserializer(tables, options, policy, pipeline))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    private static OffsetsInitializer startingOffsets(KafkaSourceOptions options) {
        return switch (options.startup()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            // Partitions the group has no offset for yet start at the beginning.
            case "group-offsets" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case "timestamp" -> OffsetsInitializer.timestamp(options.startupTimestampMs());
            default -> throw new TapflowException(options.where() + ": option 'scan.startup' is '" + options.startup()
                    + "'; allowed: earliest, latest, group-offsets, timestamp");
        };
    }
}
