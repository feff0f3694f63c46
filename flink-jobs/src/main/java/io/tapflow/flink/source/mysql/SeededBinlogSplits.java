package io.tapflow.flink.source.mysql;

import io.debezium.document.DocumentReader;
import io.debezium.relational.TableId;
import io.debezium.relational.history.TableChanges.TableChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlBinlogSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.cdc.debezium.history.FlinkJsonTableChangeSerializer;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * The enumerator context Flink CDC's binlog enumerator is given: a binlog split it assigns without table schemas gets
 * the schemas taken at its start position ({@link SchemasAtStreamStart}). Flink CDC's reader then starts Debezium with
 * them and applies the DDL from the binlog in order, instead of reading every table's schema as it is at the reader's
 * start (which it does only for a split without schemas). A split with schemas (one restored) is passed on as it is.
 */
final class SeededBinlogSplits implements SplitEnumeratorContext<MySqlSplit> {
    private final SplitEnumeratorContext<MySqlSplit> context;
    private final Map<TableId, TableChange> schemas;

    /** @param schemas Flink CDC's JSON form of each table's schema, keyed by table id (none: nothing to seed) */
    SeededBinlogSplits(SplitEnumeratorContext<MySqlSplit> context, Map<String, String> schemas) {
        this.context = context;
        this.schemas = decode(schemas);
    }

    static Map<TableId, TableChange> decode(Map<String, String> schemas) {
        Map<TableId, TableChange> decoded = new HashMap<>();
        schemas.forEach((table, json) -> {
            try {
                decoded.put(TableId.parse(table), FlinkJsonTableChangeSerializer.fromDocument(
                        DocumentReader.defaultReader().read(json), true));
            } catch (IOException e) {
                throw new UncheckedIOException("table schema of " + table + " in the binlog source's state", e);
            }
        });
        return decoded;
    }

    @Override
    public void assignSplits(SplitsAssignment<MySqlSplit> assignment) {
        context.assignSplits(new SplitsAssignment<>(assignment.assignment().entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream().map(this::seeded).toList()))));
    }

    private MySqlSplit seeded(MySqlSplit split) {
        if (split.isBinlogSplit() && split.asBinlogSplit().getTableSchemas().isEmpty()) {
            // fillTableSchemas adds to the map it is given and keeps it: each split gets a copy of its own.
            return MySqlBinlogSplit.fillTableSchemas(split.asBinlogSplit(), new HashMap<>(schemas));
        }
        return split;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return context.metricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
        context.sendEventToSourceReader(subtaskId, event);
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
        context.sendEventToSourceReader(subtaskId, attemptNumber, event);
    }

    @Override
    public int currentParallelism() {
        return context.currentParallelism();
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return context.registeredReaders();
    }

    @Override
    public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
        return context.registeredReadersOfAttempts();
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        context.signalNoMoreSplits(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        context.callAsync(callable, handler);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
        context.callAsync(callable, handler, initialDelay, period);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        context.runInCoordinatorThread(runnable);
    }

    @Override
    public void setIsProcessingBacklog(boolean isProcessingBacklog) {
        context.setIsProcessingBacklog(isProcessingBacklog);
    }
}
