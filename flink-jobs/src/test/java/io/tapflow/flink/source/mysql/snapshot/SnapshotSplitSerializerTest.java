package io.tapflow.flink.source.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SnapshotSplitSerializerTest {
    private static final SnapshotSplit RANGE = new SnapshotSplit("db.t#3", "db.t", List.of("id"), true, "id", 100L, null, null, 0);
    private static final SnapshotSplit RESUMED = new SnapshotSplit("db.u#0", "db.u", List.of("a", "b", "c"), true, null, null,
            null, List.of(new BigDecimal("12.50"), "x😀", LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000)), 4_711);

    @Test
    void splitsRoundTrip() throws IOException {
        for (SnapshotSplit split : List.of(RANGE, RESUMED)) {
            byte[] bytes = SnapshotSplitSerializer.INSTANCE.serialize(split);
            assertThat(SnapshotSplitSerializer.INSTANCE.deserialize(1, bytes)).isEqualTo(split);
        }
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        Map<String, TableProgress> tables = Map.of("db.t", new TableProgress(4, 1, 65_536, 250_000),
                "db.u", new TableProgress(1, 0, 0, 17));
        SnapshotEnumeratorState state = new SnapshotEnumeratorState(List.of(RANGE, RESUMED),
                new BinlogPosition("mysql-bin.000003", 4711), Map.of("\"db\".\"t\"", "{\"type\":\"CREATE\"}",
                "\"db\".\"u\"", "x".repeat(70_000)), tables);
        byte[] bytes = SnapshotEnumeratorStateSerializer.INSTANCE.serialize(state);
        assertThat(SnapshotEnumeratorStateSerializer.INSTANCE.deserialize(3, bytes)).isEqualTo(state);
        SnapshotEnumeratorState unknownSchemas = new SnapshotEnumeratorState(List.of(RANGE),
                new BinlogPosition("mysql-bin.000003", 4711), null, tables);
        assertThat(SnapshotEnumeratorStateSerializer.INSTANCE.deserialize(3,
                SnapshotEnumeratorStateSerializer.INSTANCE.serialize(unknownSchemas))).isEqualTo(unknownSchemas);
    }

    /** State checkpointed before the table schemas at the streaming start were kept (version 2) restores without them. */
    @Test
    void versionTwoEnumeratorStateRestoresWithoutSchemas() throws IOException {
        DataOutputSerializer v2 = stateWithOneTable();
        v2.writeLong(250_000);
        assertThat(SnapshotEnumeratorStateSerializer.INSTANCE.deserialize(2, v2.getCopyOfBuffer())).isEqualTo(
                new SnapshotEnumeratorState(List.of(RANGE), new BinlogPosition("mysql-bin.000003", 4711), null,
                        Map.of("db.t", new TableProgress(4, 1, 65_536, 250_000))));
    }

    /** State checkpointed before estimates were kept (version 1) still restores, with the estimate unknown. */
    @Test
    void versionOneEnumeratorStateRestoresWithoutEstimates() throws IOException {
        DataOutputSerializer v1 = stateWithOneTable();
        assertThat(SnapshotEnumeratorStateSerializer.INSTANCE.deserialize(1, v1.getCopyOfBuffer())).isEqualTo(
                new SnapshotEnumeratorState(List.of(RANGE), new BinlogPosition("mysql-bin.000003", 4711), null,
                        Map.of("db.t", new TableProgress(4, 1, 65_536, TableProgress.UNKNOWN))));
    }

    /** What versions 1 and 2 wrote alike: the start, one pending split, and table db.t with 4 splits, 1 done, 65,536 rows. */
    private static DataOutputSerializer stateWithOneTable() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF("mysql-bin.000003");
        out.writeLong(4711);
        out.writeInt(1);
        SnapshotSplitSerializer.write(RANGE, out);
        out.writeInt(1);
        out.writeUTF("db.t");
        out.writeInt(4);
        out.writeInt(1);
        out.writeLong(65_536);
        return out;
    }

    @Test
    void unknownVersionIsRefusedWithAReason() {
        assertThatThrownBy(() -> SnapshotSplitSerializer.INSTANCE.deserialize(9, new byte[0]))
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> SnapshotEnumeratorStateSerializer.INSTANCE.deserialize(9, new byte[0]))
                .hasMessageContaining("version 9");
    }
}
