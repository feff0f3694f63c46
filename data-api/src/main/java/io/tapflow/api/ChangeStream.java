package io.tapflow.api;

import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/<name>/changes}: Server-Sent Events of the rows that change, found by polling the table by its
 * update column (the API's {@code changes_by}, ideally indexed), in the order (update column, key) from the last row
 * sent. Each event's id is a cursor, so a client that reconnects with {@code Last-Event-ID} resumes where it was.
 * Polling sees inserts and updates, not deletes, and a row whose update time is older than rows already sent (a
 * transaction that committed late) is missed: the README says so.
 */
final class ChangeStream implements AutoCloseable {
    static final int BATCH = 500;
    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "tapflow-api-changes");
        t.setDaemon(true);
        return t;
    });
    private final long intervalMillis;

    ChangeStream(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    void open(SseClient client, PublishedApi api, Runnable beforeQuery) {
        String column = api.api().updatedColumn();
        List<SortKey> order = new ArrayList<>();
        order.add(new SortKey(column, false));
        api.key().forEach(k -> order.add(new SortKey(k, false)));
        String orderText = "changes:" + column;
        List<Column> orderColumns = order.stream().map(k -> api.column(k.field())).toList();
        String lastEventId = client.ctx().header("Last-Event-ID");
        Object[] position = {lastEventId == null ? latest(api, order, beforeQuery) : PageCursor.decode(lastEventId, orderText, orderColumns)};
        client.keepAlive();
        client.sendComment("changes of " + api.name() + " by " + column);
        ScheduledFuture<?>[] task = {null};
        task[0] = poller.scheduleWithFixedDelay(() -> {
            try {
                @SuppressWarnings("unchecked")
                List<Object> after = (List<Object>) position[0];
                for (Map<String, Object> row : changedSince(api, order, after, beforeQuery)) {
                    List<Object> values = new ArrayList<>();
                    order.forEach(k -> values.add(row.get(k.field())));
                    Map<String, Object> event = new LinkedHashMap<>();
                    api.api().fields().forEach(f -> event.put(f, JsonValues.of(row.get(f))));
                    client.sendEvent("change", event, PageCursor.encode(orderText, values));
                    position[0] = values;
                }
            } catch (RuntimeException e) {
                ApiLog.LOG.warn("change stream of API '{}' stopped: {}", api.name(), e.getMessage());
                client.close();
            }
            if (client.terminated()) {
                task[0].cancel(false);
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        client.onClose(() -> task[0].cancel(false));
    }

    /** The newest row's position: a new client gets the changes from now on. */
    private static List<Object> latest(PublishedApi api, List<SortKey> order, Runnable beforeQuery) {
        List<SortKey> newestFirst = order.stream().map(k -> new SortKey(k.field(), true)).toList();
        beforeQuery.run();
        List<Map<String, Object>> rows = api.backend().find(api.schema(), new ReadQuery(api.schema().table(),
                order.stream().map(SortKey::field).toList(), notNull(order), newestFirst, 1, 0));
        if (rows.isEmpty()) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        order.forEach(k -> values.add(rows.get(0).get(k.field())));
        return values;
    }

    private static List<Map<String, Object>> changedSince(PublishedApi api, List<SortKey> order, List<Object> after, Runnable beforeQuery) {
        Condition where = after == null ? notNull(order) : Condition.all(List.of(notNull(order),
                Keyset.after(order, after, api.backend()::nullsFirst, f -> api.column(f).nullable())));
        LinkedHashSet<String> columns = new LinkedHashSet<>(api.api().fields());
        order.forEach(k -> columns.add(k.field()));
        beforeQuery.run();
        return api.backend().find(api.schema(), new ReadQuery(api.schema().table(), List.copyOf(columns), where, order, BATCH, 0));
    }

    /** Rows without an update time have no place in the order of changes. */
    private static Condition notNull(List<SortKey> order) {
        return new Condition.IsNull(order.get(0).field(), false);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
