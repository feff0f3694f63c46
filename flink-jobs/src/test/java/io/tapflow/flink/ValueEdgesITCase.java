package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Edge values of every MySQL type family ({@link EdgeTable}) through the real source: the snapshot and the change
 * stream deliver the same, exact values. Each case here was a wrong value once: NULL in a column with a DEFAULT
 * arrived as the DEFAULT on the stream, BIT(64) with the high bit as a negative number, a negative TIME as positive
 * in the snapshot, zero dates as NULL on one path, 1970-01-01 or the DEFAULT on the other, or a crash.
 */
class ValueEdgesITCase {
    private static final int STREAM_BASE = 100;

    @Test
    void snapshotAndChangeStreamDeliverTheSameExactValues() throws Exception {
        String db = TestDatabases.freshName("edges");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, EdgeTable.DDL);
        TestDatabases.mysql(db, EdgeTable.inserts(0));
        TestDatabases.mysql(db, "INSERT INTO edges (id, dn) VALUES (50, '2001-01-01')");

        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(mysql, "edges", "edges",
                EdgeTable.KINDS.length + 1, () -> {
                    TestDatabases.mysql(db, EdgeTable.inserts(STREAM_BASE));
                    // Set to NULL by an update: the stream must not turn these into their DEFAULTs.
                    TestDatabases.mysql(db, "UPDATE edges SET i_def = NULL, v_def = NULL, e_def = NULL WHERE id = 50");
                }, EdgeTable.KINDS.length + 1);

        for (int kind : EdgeTable.KINDS) {
            assertThat(byId.get(kind).op()).isEqualTo(Op.READ);
            RowAssertions.assertRow(byId.get(kind).after(), EdgeTable.expected(kind, kind));
            assertThat(byId.get(STREAM_BASE + kind).op()).isEqualTo(Op.INSERT);
            RowAssertions.assertRow(byId.get(STREAM_BASE + kind).after(), EdgeTable.expected(STREAM_BASE + kind, kind));
        }
        ChangeEvent nulled = byId.get(50);
        assertThat(nulled.op()).isEqualTo(Op.UPDATE);
        assertThat(nulled.before()).containsEntry("i_def", 123).containsEntry("v_def", "flink").containsEntry("e_def", "a");
        assertThat(nulled.after()).containsEntry("i_def", null).containsEntry("v_def", null).containsEntry("e_def", null);
    }
}
