package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TruncateScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.CoordinationRequest;
import org.apache.flink.runtime.operators.coordination.CoordinationRequestHandler;
import org.apache.flink.runtime.operators.coordination.CoordinationResponse;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.apache.flink.streaming.api.operators.collect.CollectCoordinationResponse;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a target column's drop or rename, or empties a target table for a source table's TRUNCATE, once every
 * parallel sink subtask has written the rows before it (each tells
 * so from its {@link SchemaChangeBarrier}, then waits for the answer). A TRUNCATE that the sink writes itself (Kafka's
 * truncate messages) takes a second round: each subtask writes its share, and all go on once every one has. Runs in the JobManager; the change is made on a
 * thread of its own, not the JobManager's. Nothing is kept in checkpoints: after a failure the rows from the last
 * checkpoint are read again, and with them the change (a change the target already shows is not made twice).
 */
final class SchemaChangeCoordinator implements OperatorCoordinator, CoordinationRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeCoordinator.class);

    /**
     * A sink subtask wrote the rows before a change (null: a TRUNCATE of the rows in scope), or, with {@code written},
     * its share of a TRUNCATE the sink writes itself ({@link SinkFactory#writesTruncate}); it waits for the answer.
     */
    record Flushed(String id, int subtask, String sourceTable, String targetTable, SchemaChange change, TruncateScope scope,
                   boolean written) implements CoordinationRequest {
        String describe() {
            return change == null ? "TRUNCATE" : change.describe();
        }

        /** Counts the subtasks of each round apart: a written TRUNCATE has two. */
        String round() {
            return written ? id + "/written" : id;
        }
    }

    /**
     * A last subtask of a pipeline's lookups sent a TRUNCATE on towards the sinks and waits until the target is
     * emptied before it sends rows from after it ({@link SinkTruncateWait}).
     */
    record TruncateSent(String id) implements CoordinationRequest {}

    private final Context context;
    private final DataSource target;
    /** Per change id: the subtasks that wrote the rows before it, and their answers to give. */
    private final Map<String, Set<Integer>> flushed = new HashMap<>();
    private final Map<String, List<CompletableFuture<CoordinationResponse>>> waiting = new HashMap<>();
    /** Per TRUNCATE: the lookups' subtasks waiting for it to be made, and the answers of the ones made (by id). */
    private final Map<String, List<CompletableFuture<CoordinationResponse>>> sendersWaiting = new HashMap<>();
    private final Map<String, CoordinationResponse> made = new HashMap<>();
    private ExecutorService ddl;

    private SchemaChangeCoordinator(Context context, DataSource target) {
        this.context = context;
        this.target = target;
    }

    /** Keeps the answer a type Flink's RPC can read on any TaskManager (the job's own classes are not on its path). */
    private static CoordinationResponse response(String failure) {
        return new CollectCoordinationResponse(failure == null ? "" : failure, 0, List.of());
    }

    /** The failure an answer carries; null when the change was made. */
    static String failure(CoordinationResponse response) {
        String failure = ((CollectCoordinationResponse) response).getVersion();
        return failure.isEmpty() ? null : failure;
    }

    @Override
    public void start() {
        ddl = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tapflow schema changes " + context.getOperatorId());
            t.setDaemon(true);
            t.setContextClassLoader(context.getUserCodeClassloader());
            return t;
        });
    }

    @Override
    public void close() {
        if (ddl != null) {
            ddl.shutdownNow();
        }
        failAll("the job stops");
    }

    @Override
    public synchronized CompletableFuture<CoordinationResponse> handleCoordinationRequest(CoordinationRequest request) {
        CompletableFuture<CoordinationResponse> answer = new CompletableFuture<>();
        if (request instanceof TruncateSent sent) {
            // The sinks may have emptied the target before this request arrived.
            CoordinationResponse done = made.get(sent.id());
            if (done != null) {
                answer.complete(done);
            } else {
                sendersWaiting.computeIfAbsent(sent.id(), id -> new ArrayList<>()).add(answer);
            }
            return answer;
        }
        Flushed f = (Flushed) request;
        flushed.computeIfAbsent(f.round(), id -> new HashSet<>()).add(f.subtask());
        waiting.computeIfAbsent(f.round(), id -> new ArrayList<>()).add(answer);
        if (flushed.get(f.round()).size() == context.currentParallelism()) {
            flushed.remove(f.round());
            List<CompletableFuture<CoordinationResponse>> all = waiting.remove(f.round());
            SinkFactory sink = ConnectorFactories.sink(target.type());
            if (f.written()) {
                LOG.info("target table {}: TRUNCATE written after every sink subtask wrote the rows before it: {}",
                        f.targetTable(), sink.truncateEffect(target, f.targetTable()));
                answerAll(f, all, null);
            } else if (f.change() == null && sink.writesTruncate()) {
                // Every subtask wrote the rows before it: now each writes its share of the TRUNCATE's messages.
                all.forEach(a -> a.complete(response(null)));
            } else {
                ddl.execute(() -> make(f, all));
            }
        }
        return answer;
    }

    private void make(Flushed f, List<CompletableFuture<CoordinationResponse>> answers) {
        String failure = null;
        try {
            SinkFactory sink = ConnectorFactories.sink(target.type());
            String done = f.change() == null ? sink.emptyTable(target, f.targetTable(), f.scope())
                    : sink.applySchemaChange(target, f.targetTable(), f.change());
            LOG.info("target table {}: {} made after every sink subtask wrote the rows before it: {}", f.targetTable(),
                    f.describe(), done);
        } catch (RuntimeException e) {
            failure = "schema change on " + f.sourceTable() + ": " + f.describe() + " -> target table "
                    + f.targetTable() + " failed: " + e.getMessage();
            LOG.error(failure);
        }
        answerAll(f, answers, failure);
    }

    /** Lets the sink subtasks go on (and, once a TRUNCATE is made, the lookups' subtasks waiting for it). */
    private void answerAll(Flushed f, List<CompletableFuture<CoordinationResponse>> answers, String failure) {
        CoordinationResponse response = response(failure);
        answers.forEach(a -> a.complete(response));
        if (f.change() == null) {
            answerSenders(f.id(), response);
        }
    }

    private synchronized void answerSenders(String id, CoordinationResponse response) {
        made.put(id, response);
        List<CompletableFuture<CoordinationResponse>> senders = sendersWaiting.remove(id);
        if (senders != null) {
            senders.forEach(a -> a.complete(response));
        }
    }

    private synchronized void failAll(String why) {
        waiting.values().forEach(list -> list.forEach(a -> a.completeExceptionally(new FlinkRuntimeException(
                "a schema change waiting for every sink subtask was given up: " + why))));
        sendersWaiting.values().forEach(list -> list.forEach(a -> a.completeExceptionally(new FlinkRuntimeException(
                "a TRUNCATE waiting for every sink subtask was given up: " + why))));
        waiting.clear();
        sendersWaiting.clear();
        flushed.clear();
    }

    @Override
    public void handleEventFromOperator(int subtask, int attemptNumber, OperatorEvent event) {
        throw new IllegalArgumentException("unexpected event from the schema-change barrier: " + event);
    }

    @Override
    public void checkpointCoordinator(long checkpointId, CompletableFuture<byte[]> result) {
        result.complete(new byte[0]);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {}

    @Override
    public void resetToCheckpoint(long checkpointId, byte[] checkpointData) {
        failAll("the job restarts from a checkpoint");
    }

    @Override
    public void subtaskReset(int subtask, long checkpointId) {
        failAll("sink subtask " + subtask + " restarts");
    }

    @Override
    public void executionAttemptFailed(int subtask, int attemptNumber, Throwable reason) {
        failAll("sink subtask " + subtask + " failed");
    }

    @Override
    public void executionAttemptReady(int subtask, int attemptNumber, SubtaskGateway gateway) {}

    /** Makes the coordinator of one job's barrier operator. */
    static final class Provider implements OperatorCoordinator.Provider {
        private static final long serialVersionUID = 1L;
        private final OperatorID operatorId;
        private final DataSource target;

        Provider(OperatorID operatorId, DataSource target) {
            this.operatorId = operatorId;
            this.target = target;
        }

        @Override
        public OperatorID getOperatorId() {
            return operatorId;
        }

        @Override
        public OperatorCoordinator create(Context context) {
            return new SchemaChangeCoordinator(context, target);
        }
    }
}
