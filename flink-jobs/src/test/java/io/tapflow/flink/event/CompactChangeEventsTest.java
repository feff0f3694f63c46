package io.tapflow.flink.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The compact form of change events (format 2): planned layouts replace table and column names, rows that follow no
 * layout keep theirs, and state written in format 1 by earlier tapflow (a resource made by that code) still reads.
 */
class CompactChangeEventsTest {
    /** The SnapshotBenchmark row: ten columns of the usual kinds. */
    private static final List<String> COLUMNS = List.of("id", "account", "customer_name", "email", "amount", "created_at",
            "updated_at", "note", "status", "score");
    private static final RowLayouts LAYOUTS = RowLayouts.builder().add("bench.orders", COLUMNS).add("bench.orders", List.of("id"))
            .build();

    @Test
    void aPlannedRowTakesAtMostHalfTheBytesOfFormatOne() throws Exception {
        ChangeEvent update = update();
        int v1 = bytes(ChangeEventSerializer.FORMAT_1, update);
        int compact = bytes(ChangeEventSerializer.compact(LAYOUTS), update);
        System.out.printf("bytes per update event of a 10-column row: format 1 %d, compact %d (%.2fx)%n", v1, compact,
                compact / (double) v1);
        assertThat(compact).isLessThanOrEqualTo(v1 / 2);
        assertThat(roundTrip(ChangeEventSerializer.compact(LAYOUTS), update)).isEqualTo(update);
        ChangeEvent read = new ChangeEvent(Op.READ, "bench.orders", update.key(), null, update.after(), 1L);
        int readV1 = bytes(ChangeEventSerializer.FORMAT_1, read);
        int readCompact = bytes(ChangeEventSerializer.compact(LAYOUTS), read);
        System.out.printf("bytes per snapshot (read) event of a 10-column row: format 1 %d, compact %d (%.2fx)%n", readV1,
                readCompact, readCompact / (double) readV1);
        assertThat(readCompact).isLessThanOrEqualTo(readV1 * 6 / 10);
        assertThat(roundTrip(ChangeEventSerializer.compact(LAYOUTS), read)).isEqualTo(read);
        // An update whose after image has a byte[] gets its own copy of an unchanged one.
        update.before().put("note", new byte[] {1});
        update.after().put("note", new byte[] {1});
        ChangeEvent back = roundTrip(ChangeEventSerializer.compact(LAYOUTS), update);
        assertThat(back).isEqualTo(update);
        assertThat(back.after().get("note")).isNotSameAs(back.before().get("note"));
    }

    @Test
    void rowsAndTablesOutsideThePlanKeepTheirNames() throws Exception {
        ChangeEvent update = update();
        update.after().put("added_by_udf", "x");
        ChangeEvent other = new ChangeEvent(Op.INSERT, "bench.other", new LinkedHashMap<>(Map.of("k", 1)), null,
                new LinkedHashMap<>(Map.of("k", 1)), 5L);
        ChangeEventSerializer compact = ChangeEventSerializer.compact(LAYOUTS);
        assertThat(roundTrip(compact, update)).isEqualTo(update);
        assertThat(roundTrip(compact, update).after().keySet()).containsExactlyElementsOf(update.after().keySet());
        assertThat(roundTrip(compact, other)).isEqualTo(other);
        // Reordered columns are a different layout: written with names, read back in their own order.
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("account", 1L);
        reordered.put("id", 2);
        ChangeEvent swapped = new ChangeEvent(Op.READ, "bench.orders", new LinkedHashMap<>(Map.of("id", 2)), null, reordered, 1L);
        assertThat(roundTrip(compact, swapped).after().keySet()).containsExactly("account", "id");
    }

    @Test
    void stateOfFormatOneWrittenByEarlierTapflowStillReads() throws Exception {
        TypeSerializerSnapshot<ChangeEvent> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(resource("change-event-v1.snapshot")), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<ChangeEvent> compat =
                ChangeEventSerializer.compact(LAYOUTS).snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(compat.isCompatibleAfterMigration()).isTrue();

        TypeSerializer<ChangeEvent> reader = old.restoreSerializer();
        DataInputDeserializer in = new DataInputDeserializer(resource("change-event-v1.data"));
        List<ChangeEvent> read = new ArrayList<>();
        while (in.available() > 0) {
            read.add(reader.deserialize(in));
        }
        assertThat(read).containsExactlyElementsOf(eventsWrittenByFormatOne());
        // Migrated: written again in the compact form, read back the same.
        ChangeEventSerializer compact = ChangeEventSerializer.compact(LAYOUTS);
        for (ChangeEvent e : read) {
            assertThat(roundTrip(compact, e)).isEqualTo(e);
        }
    }

    @Test
    void aCompactSnapshotRestoresItsLayouts() throws Exception {
        ChangeEventSerializer compact = ChangeEventSerializer.compact(LAYOUTS);
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, compact.snapshotConfiguration());
        TypeSerializerSnapshot<ChangeEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(compact);
        assertThat(compact.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        RowLayouts changed = RowLayouts.builder().add("bench.orders", List.of("id", "note")).build();
        assertThat(ChangeEventSerializer.compact(changed).snapshotConfiguration().resolveSchemaCompatibility(restored)
                .isCompatibleAfterMigration()).isTrue();
        // State written with the old layouts is read by the restored serializer.
        DataOutputSerializer data = new DataOutputSerializer(256);
        compact.serialize(update(), data);
        assertThat(restored.restoreSerializer().deserialize(new DataInputDeserializer(data.getCopyOfBuffer()))).isEqualTo(update());
    }

    private static ChangeEvent update() {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("id", 123456);
        before.put("account", 9876543210L);
        before.put("customer_name", "customer-123456");
        before.put("email", "c123456@example.com");
        before.put("amount", new BigDecimal("1234.56"));
        before.put("created_at", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000));
        before.put("updated_at", Instant.parse("2024-01-02T03:04:05.678Z"));
        before.put("note", "a note of about forty characters, typical");
        before.put("status", "paid");
        before.put("score", 0.5);
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("status", "shipped");
        return new ChangeEvent(Op.UPDATE, "bench.orders", new LinkedHashMap<>(Map.of("id", 123456)), before, after, 1_700_000_000_000L);
    }

    /** The events the resource holds, as the code that wrote it built them (format 1, before compact events). */
    private static List<ChangeEvent> eventsWrittenByFormatOne() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("id", 7);
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("id", 7);
        before.put("name", "Ada");
        before.put("balance", new BigDecimal("10.50"));
        before.put("born", LocalDate.of(1815, 12, 10));
        before.put("seen", Instant.ofEpochSecond(1700000000L, 123456000));
        before.put("took", Duration.ofSeconds(-3020399));
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("name", "Ada L.");
        after.put("photo", new byte[] {1, 2, 3});
        after.put("gone", null);
        after.put("ok", true);
        after.put("score", 1.5d);
        after.put("ratio", 0.25f);
        after.put("big", 9007199254740993L);
        after.put("at", LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999999000));
        after.put("t", LocalTime.of(23, 59, 59, 999999000));
        return List.of(new ChangeEvent(Op.READ, "shop.customer", key, null, before, 1000L),
                new ChangeEvent(Op.UPDATE, "shop.customer", key, before, after, 2000L),
                new ChangeEvent(Op.DELETE, "shop.customer", key, after, null, 3000L));
    }

    private static int bytes(ChangeEventSerializer serializer, ChangeEvent event) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(event, out);
        return out.length();
    }

    private static ChangeEvent roundTrip(ChangeEventSerializer serializer, ChangeEvent event) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(event, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private byte[] resource(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
