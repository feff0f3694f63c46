package io.tapflow.flink.sink;

import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.step.DeadLetters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's error policy for rows a target refuses for good (a mapping conflict, a document too large): fail the
 * job, skip (up to the policy's limit per subtask and run; unlike a step's, this count is not checkpointed), or write
 * the row with the target's reason to the dead-letter table, through a writer of the dead-letter target owned here and
 * flushed with the sink. Counted in {@code tapflowSinkRowErrors}, {@code tapflowRowsSkipped}, {@code tapflowDeadLetters}.
 */
public final class SinkRowErrors implements AutoCloseable {
    /** The step name dead letters of a target carry. */
    public static final String STEP = "sink";
    private static final Logger LOG = LoggerFactory.getLogger(SinkRowErrors.class);
    private final SinkContext context;
    private final SinkWriter<ChangeEvent> deadLetters;
    private final Counter errors;
    private final Counter skipped;
    private final Counter deadLettered;
    private long skippedRows;

    /**
     * @param writerOf makes a writer of a sink with the init context the target's own writer got (Flink has two
     *                 createWriter variants)
     */
    public SinkRowErrors(SinkContext context, SinkOptions options, MetricGroup metrics,
                         Function<Sink<ChangeEvent>, SinkWriter<ChangeEvent>> writerOf) {
        this.context = context;
        this.errors = metrics.counter("tapflowSinkRowErrors");
        this.skipped = metrics.counter("tapflowRowsSkipped");
        this.deadLettered = metrics.counter("tapflowDeadLetters");
        ErrorPolicy policy = context.onError();
        this.deadLetters = policy.mode() == ErrorPolicy.Mode.DEAD_LETTER
                ? writerOf.apply(ConnectorFactories.sink(context.deadLetterTarget().type()).createSink(
                        context.deadLetterTarget(), List.of(DeadLetters.table(policy.deadLetter().table())), options))
                : null;
    }

    /**
     * The error policy of a pipeline's sink writer, 'fail' included: a batch the target refuses is then written row by
     * row, and the job fails naming the row it refused, not the batch's first. Null for a sink without a context (a
     * dead-letter target's own writer), whose failures fail the job as they are.
     */
    public static SinkRowErrors of(SinkContext context, SinkOptions options, WriterInitContext init) {
        return of(context, options, init.metricGroup(), sink -> sink.createWriter(init));
    }

    /** {@link #of(SinkContext, SinkOptions, WriterInitContext)} for Flink's older writer-creation path. */
    @SuppressWarnings("deprecation")
    public static SinkRowErrors of(SinkContext context, SinkOptions options, Sink.InitContext init) {
        return of(context, options, init.metricGroup(), sink -> sink.createWriter(init));
    }

    private static SinkRowErrors of(SinkContext context, SinkOptions options, MetricGroup metrics, WriterOf writerOf) {
        return context == null ? null : new SinkRowErrors(context, options, metrics, sink -> {
            try {
                return writerOf.create(sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private interface WriterOf {
        SinkWriter<ChangeEvent> create(Sink<ChangeEvent> sink) throws IOException;
    }

    /**
     * Applies the policy to one refused write.
     *
     * @param row the row written, or null for a refused delete
     */
    public void refused(TargetTable table, RowKey key, Map<String, Object> row, String reason) throws IOException {
        errors.inc();
        String message = "target refused row " + keyText(table, key) + " of " + table.sourceTable() + " (to "
                + table.name() + "): " + reason;
        switch (context.onError().mode()) {
            case SKIP -> {
                if (skippedRows >= context.onError().maxErrors()) {
                    throw new SuppressRestartsException(new TapflowException(message + " (more than "
                            + context.onError().maxErrors() + " rows failed in this subtask, the limit of the 'skip' error policy)"));
                }
                skippedRows++;
                skipped.inc();
                LOG.warn("skipped: {}", message);
            }
            case DEAD_LETTER -> {
                Map<String, Object> keyRow = keyRow(table, key);
                ChangeEvent failed = row == null ? new ChangeEvent(Op.DELETE, table.sourceTable(), keyRow, keyRow, null, 0)
                        : new ChangeEvent(Op.INSERT, table.sourceTable(), keyRow, null, row, 0);
                try {
                    deadLetters.write(DeadLetters.event(context.pipelineName(), STEP, failed, message), null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing a dead letter", e);
                }
                deadLettered.inc();
            }
            default -> throw new SuppressRestartsException(new TapflowException(message));
        }
    }

    /** Writes the pending dead letters; call it when the target flushes. */
    public void flush() throws IOException {
        if (deadLetters != null) {
            try {
                deadLetters.flush(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing dead letters", e);
            }
        }
    }

    private static Map<String, Object> keyRow(TargetTable table, RowKey key) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < key.size(); i++) {
            row.put(table.keyFields().get(i), key.get(i));
        }
        return row;
    }

    private static String keyText(TargetTable table, RowKey key) {
        return RowValues.format(keyRow(table, key));
    }

    @Override
    public void close() throws Exception {
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
