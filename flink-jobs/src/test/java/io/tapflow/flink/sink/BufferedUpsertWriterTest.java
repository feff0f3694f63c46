package io.tapflow.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** A union's source tables share one buffer per target table, so the last change to a target row wins. */
class BufferedUpsertWriterTest {
    private static final List<Column> COLUMNS = List.of(new Column("id", "int", "int(11)", -1, 10, 0, false, false),
            new Column("item", "varchar", "varchar(20)", 20, -1, -1, true, false));
    private final List<String> batches = new ArrayList<>();

    @Test
    void lastChangeToATargetRowWinsWhicheverSourceTableItCameFrom() throws Exception {
        Recording writer = new Recording(List.of(new TargetTable("eu.orders", "all_orders", List.of("id"), COLUMNS),
                new TargetTable("us.orders", "all_orders", List.of("id"), COLUMNS)));
        writer.write(insert("us.orders", 3, "us-pad"), null);
        writer.write(insert("eu.orders", 3, "eu-pad"), null);
        writer.write(insert("us.orders", 4, "cup"), null);
        writer.write(new ChangeEvent(Op.DELETE, "us.orders", Map.of("id", 4), row(4, "cup"), null, 1L), null);
        writer.flush(false);
        assertThat(batches).containsExactly("all_orders: deletes [4] upserts [{id=3, item=eu-pad}]");
    }

    private static ChangeEvent insert(String table, int id, String item) {
        return new ChangeEvent(Op.INSERT, table, Map.of("id", id), null, row(id, item), 1L);
    }

    private static Map<String, Object> row(int id, String item) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("item", item);
        return row;
    }

    private final class Recording extends BufferedUpsertWriter {
        Recording(List<TargetTable> tables) {
            super(tables, new SinkOptions(100, 60_000), new NoTimers(), new UnregisteredMetricsGroup());
        }

        @Override
        protected void writeBatch(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts, boolean snapshotRowsOnly) {
            batches.add(table.name() + ": deletes " + deletes.stream().map(k -> String.valueOf(k.get(0))).toList() + " upserts " + upserts);
        }

        @Override
        public void close() {}
    }

    /** Flushes happen on demand in this test; the interval timer never fires. */
    private static final class NoTimers implements ProcessingTimeService {
        @Override
        public long getCurrentProcessingTime() {
            return 0;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return null;
        }
    }
}
