package io.tapflow.flink.sink.kafka;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TargetSchemaChanges;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * flink-connector-kafka's KafkaSink with what a TRUNCATE needs of its writer, which writes one record per element and
 * flushes its producer only at checkpoints: a TRUNCATE becomes one truncate message in each partition of the topic that
 * is this subtask's share (partition modulo parallelism), written and flushed in the writer's transaction, if any, so
 * exactly-once delivery keeps it once with the rows; and a flush-only TRUNCATE ({@code SchemaChangeBarrier} at
 * parallelism &gt; 1) flushes the producer, so the rows before it are in their partitions before any subtask writes a
 * truncate message. Everything else, state and commits included, is KafkaSink's.
 *
 * @param <S> KafkaSink's writer state, @param <C> its committable (both package-private in the connector)
 */
final class TruncateWritingSink<S, C> implements TwoPhaseCommittingStatefulSink<ChangeEvent, S, C> {
    private static final long serialVersionUID = 1L;
    private final TwoPhaseCommittingStatefulSink<ChangeEvent, S, C> kafka;
    /** KafkaSink's record serializer, the same object once deserialized in a task (one object graph): it knows the partitions. */
    private final ChangeEventRecords records;

    TruncateWritingSink(TwoPhaseCommittingStatefulSink<ChangeEvent, S, C> kafka, ChangeEventRecords records) {
        this.kafka = kafka;
        this.records = records;
    }

    @Override
    public PrecommittingStatefulSinkWriter<ChangeEvent, S, C> createWriter(InitContext context) throws IOException {
        return new Writer<>(kafka.createWriter(context), records);
    }

    @Override
    public PrecommittingStatefulSinkWriter<ChangeEvent, S, C> restoreWriter(InitContext context, Collection<S> state)
            throws IOException {
        return new Writer<>(kafka.restoreWriter(context, state), records);
    }

    @Override
    public SimpleVersionedSerializer<S> getWriterStateSerializer() {
        return kafka.getWriterStateSerializer();
    }

    @Override
    public Committer<C> createCommitter() throws IOException {
        return kafka.createCommitter();
    }

    @Override
    public SimpleVersionedSerializer<C> getCommittableSerializer() {
        return kafka.getCommittableSerializer();
    }

    /** KafkaSink's writer, writing a TRUNCATE as this subtask's truncate messages. */
    private static final class Writer<S, C> implements PrecommittingStatefulSinkWriter<ChangeEvent, S, C> {
        private final PrecommittingStatefulSinkWriter<ChangeEvent, S, C> kafka;
        private final ChangeEventRecords records;

        Writer(PrecommittingStatefulSinkWriter<ChangeEvent, S, C> kafka, ChangeEventRecords records) {
            this.kafka = kafka;
            this.records = records;
        }

        @Override
        public void write(ChangeEvent event, Context context) throws IOException, InterruptedException {
            if (event.op() != Op.TRUNCATE) {
                kafka.write(event, context);
                return;
            }
            if (!TargetSchemaChanges.isFlushOnly(event)) {
                for (ChangeEvent message : records.truncateShare(event)) {
                    kafka.write(message, context);
                }
            }
            // Acknowledged before this subtask tells the others it is done (SchemaChangeBarrier waits for all).
            kafka.flush(false);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            kafka.flush(endOfInput);
        }

        @Override
        public Collection<C> prepareCommit() throws IOException, InterruptedException {
            return kafka.prepareCommit();
        }

        @Override
        public List<S> snapshotState(long checkpointId) throws IOException {
            return kafka.snapshotState(checkpointId);
        }

        @Override
        public void close() throws Exception {
            kafka.close();
        }
    }
}
