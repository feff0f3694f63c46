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

    @Test
    void everyFractionalPrecisionOfTimeDatetimeAndTimestampArrivesAsStored() throws Exception {
        String db = TestDatabases.freshName("precisions");
        DataSource mysql = TestDatabases.mysqlSource(db);
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int p = 0; p <= 6; p++) {
            columns.append(", tm").append(p).append(" TIME(").append(p).append("), dt").append(p).append(" DATETIME(")
                    .append(p).append("), ts").append(p).append(" TIMESTAMP(").append(p).append(") NULL");
            values.append(", '-12:34:56.987654', '2024-02-29 23:59:58.987654', '2024-02-29 23:59:58.987654'");
        }
        TestDatabases.mysql(db, "CREATE TABLE p (id INT PRIMARY KEY" + columns + ")",
                "SET time_zone = '+00:00'", "INSERT INTO p VALUES (1" + values + ")");
        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(mysql, "p", "precisions", 1,
                () -> TestDatabases.mysql(db, "SET time_zone = '+00:00'", "INSERT INTO p VALUES (2" + values + ")"), 1);

        // What the server stored (MySQL rounds to the column's precision), as its own text says.
        Map<String, Object> stored = new java.util.LinkedHashMap<>();
        try (java.sql.Connection c = io.tapflow.servers.SharedServers.mariaDb().connectAsAdmin(db);
             java.sql.Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            for (int p = 0; p <= 6; p++) {
                try (java.sql.ResultSet rs = st.executeQuery("SELECT CAST(tm" + p + " AS CHAR), CAST(dt" + p + " AS CHAR), "
                        + "CAST(ts" + p + " AS CHAR) FROM p WHERE id = 1")) {
                    rs.next();
                    stored.put("tm" + p, io.tapflow.dsl.DurationText.parse(rs.getString(1)));
                    stored.put("dt" + p, java.time.LocalDateTime.parse(rs.getString(2).replace(' ', 'T')));
                    stored.put("ts" + p, java.time.LocalDateTime.parse(rs.getString(3).replace(' ', 'T'))
                            .toInstant(java.time.ZoneOffset.UTC));
                }
            }
        }
        for (int id : new int[] {1, 2}) {
            Map<String, Object> expected = new java.util.LinkedHashMap<>();
            expected.put("id", id);
            expected.putAll(stored);
            RowAssertions.assertRow(byId.get(id).after(), expected);
        }
        // The columns really differ in precision (MariaDB truncates the fraction; MySQL would round).
        assertThat(stored.get("tm0")).isEqualTo(java.time.Duration.ofSeconds(-(12 * 3600 + 34 * 60 + 56)));
        assertThat(stored.get("tm3")).isEqualTo(java.time.Duration.ofSeconds(-(12 * 3600 + 34 * 60 + 56), -987_000_000));
    }
}
