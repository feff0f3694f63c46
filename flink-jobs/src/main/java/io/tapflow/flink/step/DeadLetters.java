package io.tapflow.flink.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.FieldType;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rows a step could not process, as rows of a dead-letter table: which pipeline and step, the source table, operation
 * and key, the row as JSON, the reason, and when. The id derives from the failed change, so a replay after a restore
 * overwrites its dead letter instead of adding a second one.
 */
public final class DeadLetters {
    /** The pseudo source table dead-letter events carry; the dead-letter sink maps it to the configured table. */
    public static final String SOURCE_TABLE = "tapflow.dead_letter";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetters() {}

    public static TargetTable table(String name) {
        return new TargetTable(SOURCE_TABLE, name, List.of("id"), List.of(
                text("id", 36), text("pipeline", 200), text("step", 200), text("source_table", 200), text("op", 10),
                text("row_key", 65_535), text("row_json", 65_535), text("error", 65_535),
                FieldTypeColumns.of("failed_at", FieldType.TIMESTAMP)));
    }

    public static ChangeEvent event(String pipeline, String stepId, ChangeEvent failed, String error) {
        String key = RowValues.format(failed.key());
        String id = UUID.nameUUIDFromBytes((pipeline + "\n" + stepId + "\n" + failed.table() + "\n" + failed.op() + "\n" + key
                + "\n" + failed.sourceTsMs()).getBytes(StandardCharsets.UTF_8)).toString();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("pipeline", pipeline);
        row.put("step", stepId);
        row.put("source_table", failed.table());
        row.put("op", failed.op().name().toLowerCase(java.util.Locale.ROOT));
        row.put("row_key", key);
        row.put("row_json", json(failed.latestRow()));
        row.put("error", error);
        row.put("failed_at", Instant.now());
        return new ChangeEvent(Op.INSERT, SOURCE_TABLE, Map.of("id", id), null, row, failed.sourceTsMs());
    }

    private static String json(Map<String, Object> row) {
        Map<String, Object> plain = new LinkedHashMap<>();
        row.forEach((k, v) -> plain.put(k, v == null || v instanceof Boolean || v instanceof String
                || v instanceof Integer || v instanceof Long || v instanceof BigDecimal || v instanceof Double
                || v instanceof Float ? v : RowValues.format(v)));
        try {
            return JSON.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            return RowValues.format(row);
        }
    }

    private static Column text(String name, int length) {
        return new Column(name, length > 10_000 ? "text" : "varchar", length > 10_000 ? "text" : "varchar(" + length + ")",
                length, -1, -1, !name.equals("id"), false);
    }
}
