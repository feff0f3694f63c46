package io.tapflow.flink.sink.kafka;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.NewTables;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * flink-connector-kafka's KafkaSink with tapflow's records. At-least-once flushes the producer at every checkpoint;
 * exactly-once writes in Kafka transactions that commit when a checkpoint completes, so read_committed consumers see
 * the changes once per checkpoint interval.
 */
public final class KafkaTargetSink {
    /** Under the broker's default transaction.max.timeout.ms (15 minutes); longer than any checkpoint should take. */
    private static final int TRANSACTION_TIMEOUT_MS = 900_000;

    private KafkaTargetSink() {}

    /**
     * @param newTables plans the topics of tables created while the job runs; null when the pipeline names its tables
     * @param sinkSuffix tells the transactional ids of several KafkaSinks of one job apart ("" for the main sink)
     */
    public static Sink<ChangeEvent> create(KafkaTargetOptions options, List<TargetTable> tables, NewTables newTables,
                                           String pipeline, String sinkSuffix) {
        Properties producer = new Properties();
        // Keeps the per-key order of a partition even when a batch is retried.
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(options.maxMessageBytes() + KafkaTargetOptions.BATCH_OVERHEAD_BYTES));
        producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(TRANSACTION_TIMEOUT_MS));
        ChangeEventRecords records = new ChangeEventRecords(tables, newTables, options, pipeline);
        return new TruncateWritingSink<>(KafkaSink.<ChangeEvent>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(records)
                .setDeliveryGuarantee(options.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                // Transactional ids must differ between pipelines writing to one cluster.
                .setTransactionalIdPrefix("tapflow-" + pipeline + sinkSuffix)
                .build(), records);
    }
}
