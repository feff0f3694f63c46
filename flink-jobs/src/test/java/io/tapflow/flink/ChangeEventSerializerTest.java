package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventSerializer;
import io.tapflow.flink.event.Op;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChangeEventSerializerTest {
    private final ChangeEventSerializer serializer = ChangeEventSerializer.INSTANCE;

    @Test
    void roundTripsEveryValueType() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7);
        row.put("big", Long.MIN_VALUE);
        row.put("unsigned", new BigDecimal("18446744073709551615"));
        row.put("dec", new BigDecimal("-1234567890123456789012345678.0123456789"));
        row.put("f", 1.5f);
        row.put("d", Math.PI);
        row.put("on", true);
        row.put("off", false);
        row.put("text", "😀 ünï " + "x".repeat(70_000));
        row.put("bytes", new byte[] {0, 1, (byte) 0xff});
        row.put("date", LocalDate.of(2024, 2, 29));
        row.put("time", LocalTime.of(23, 59, 59, 123_456_000));
        row.put("span", java.time.Duration.ofHours(-838).minusMinutes(59).minusSeconds(59).minusNanos(999_999_000));
        row.put("datetime", LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
        row.put("instant", Instant.parse("2024-02-29T13:14:15.123456Z"));
        row.put("nothing", null);
        Map<String, Object> key = new LinkedHashMap<>(Map.of("id", 7));
        ChangeEvent event = new ChangeEvent(Op.UPDATE, "db.t", key, new LinkedHashMap<>(row), row, 1234L);

        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(event, out);
        ChangeEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).isEqualTo(event);
        assertThat(back.after().keySet()).containsExactlyElementsOf(row.keySet());
        assertThat(serializer.copy(event)).isEqualTo(event);
    }

    @Test
    void deleteWithoutAfterImageRoundTrips() throws Exception {
        ChangeEvent delete = new ChangeEvent(Op.DELETE, "db.t", new LinkedHashMap<>(Map.of("id", 1L)),
                new LinkedHashMap<>(Map.of("id", 1L)), null, 5L);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(delete, out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(delete);
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<ChangeEvent> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<ChangeEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<ChangeEvent> compat =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compat.isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    }
}
