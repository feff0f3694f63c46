package io.tapflow.flink.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import io.tapflow.flink.sink.BufferedUpsertWriter;
import io.tapflow.flink.sink.JsonValues;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.SinkRowErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.MetricGroup;

/**
 * Writes each flushed batch as bulk requests of at most {@code bulk.max-actions} actions and {@code bulk.max-bytes}
 * bytes, one request at a time. Items the cluster rejects for load (HTTP 429, 503) are sent again with growing pauses
 * before the flush returns, so no later change to a key can overtake them (a batch holds one change per key); items it
 * refuses for good go to the pipeline's error policy. A delete of a document that is not there is fine.
 */
final class ElasticsearchBulkWriter extends BufferedUpsertWriter {
    static final int MAX_ATTEMPTS = 30;
    private static final long FIRST_PAUSE_MS = 50;
    private static final long MAX_PAUSE_MS = 2_000;
    /** How often Elasticsearch re-reads and re-applies an update that met a concurrent write of the document. */
    private static final int UPDATE_CONFLICT_RETRIES = 5;

    private final ElasticsearchOptions options;
    private final ElasticsearchClient client;
    private final SinkRowErrors rowErrors;

    ElasticsearchBulkWriter(ElasticsearchOptions options, List<TargetTable> tables, SinkOptions sinkOptions,
                            ProcessingTimeService timeService, MetricGroup metrics, SinkRowErrors rowErrors) {
        super(tables, sinkOptions, timeService, metrics);
        this.options = options;
        this.client = new ElasticsearchClient(options);
        this.rowErrors = rowErrors;
    }

    /** One action of a bulk request, and what it came from, for retries and errors. */
    private record Action(TargetTable table, RowKey key, Map<String, Object> row, String lines) {}

    @Override
    protected void writeBatch(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts,
                              boolean snapshotRowsOnly) throws IOException {
        String index = options.index(table.name());
        List<Action> actions = new ArrayList<>(deletes.size() + upserts.size());
        for (RowKey key : deletes) {
            actions.add(new Action(table, key, null, header("delete", index, key) + "\n"));
        }
        for (Map<String, Object> row : upserts) {
            RowKey key = RowKey.of(table.keyFields(), row, table.sourceTable());
            String document;
            try {
                document = document(row);
            } catch (TapflowException e) {
                rowErrors.refused(table, key, row, e.getMessage());
                continue;
            }
            String op = options.writeMode() == ElasticsearchOptions.WriteMode.UPDATE ? "update" : "index";
            actions.add(new Action(table, key, row, header(op, index, key) + "\n" + document + "\n"));
        }
        int from = 0;
        while (from < actions.size()) {
            int to = from;
            long bytes = 0;
            while (to < actions.size() && to - from < options.bulkMaxActions()) {
                int size = actions.get(to).lines().getBytes(StandardCharsets.UTF_8).length;
                if (to > from && bytes + size > options.bulkMaxBytes()) {
                    break;
                }
                bytes += size;
                to++;
            }
            sendWithRetries(actions.subList(from, to));
            from = to;
        }
    }

    @Override
    protected void truncate(TargetTable table, TruncateScope scope) throws IOException {
        ElasticsearchTargets.emptyIndex(client, options, table.name(), scope);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        super.flush(endOfInput);
        rowErrors.flush();
    }

    private String document(Map<String, Object> row) {
        ObjectNode doc = JsonValues.row(row);
        if (options.writeMode() == ElasticsearchOptions.WriteMode.UPDATE) {
            ObjectNode update = ElasticsearchClient.JSON.createObjectNode();
            update.set("doc", doc);
            update.put("doc_as_upsert", true);
            doc = update;
        }
        return doc.toString();
    }

    private static String header(String op, String index, RowKey key) {
        ObjectNode meta = ElasticsearchClient.JSON.createObjectNode();
        ObjectNode action = meta.putObject(op).put("_index", index).put("_id", ElasticsearchIds.of(key));
        if (op.equals("update")) {
            // An update reads the document and writes it back; another pipeline filling other fields of the same
            // document in between makes that a version conflict (409), which Elasticsearch retries on a fresh read.
            action.put("retry_on_conflict", UPDATE_CONFLICT_RETRIES);
        }
        return meta.toString();
    }

    private void sendWithRetries(List<Action> actions) throws IOException {
        List<Action> pending = actions;
        long pause = FIRST_PAUSE_MS;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new IOException(options.where() + ": the cluster still rejected " + pending.size()
                        + " bulk actions as overloaded (HTTP 429/503) after " + MAX_ATTEMPTS + " attempts");
            }
            if (attempt > 1) {
                sleep(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            }
            pending = send(pending);
        }
    }

    /** Sends one bulk request; returns the actions to send again. */
    private List<Action> send(List<Action> actions) throws IOException {
        StringBuilder body = new StringBuilder();
        actions.forEach(a -> body.append(a.lines()));
        String path = "/_bulk" + (options.refresh().equals("false") ? "" : "?refresh=" + options.refresh());
        ElasticsearchClient.Answer answer = client.send("POST", path, body.toString());
        if (answer.status() == 429 || answer.status() == 503) {
            return actions;
        }
        if (answer.status() / 100 != 2) {
            throw new IOException(options.where() + ": bulk request of " + actions.size() + " actions failed with HTTP "
                    + answer.status() + ": " + ElasticsearchClient.reason(answer.body()));
        }
        if (!answer.body().path("errors").asBoolean(false)) {
            return List.of();
        }
        ArrayNode items = (ArrayNode) answer.body().path("items");
        List<Action> again = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            JsonNode result = items.get(i).elements().next();
            int status = result.path("status").asInt();
            Action action = actions.get(i);
            if (status / 100 == 2 || status == 404 && action.row() == null) {
                continue;
            }
            if (status == 429 || status == 503) {
                again.add(action);
            } else {
                rowErrors.refused(action.table(), action.key(), action.row(), "index '" + result.path("_index").asText()
                        + "' answered HTTP " + status + ": " + ElasticsearchClient.reason(result));
            }
        }
        return again;
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry a bulk request", e);
        }
    }

    @Override
    public void close() throws Exception {
        try (SinkRowErrors errors = rowErrors) {
            client.close();
        }
    }
}
