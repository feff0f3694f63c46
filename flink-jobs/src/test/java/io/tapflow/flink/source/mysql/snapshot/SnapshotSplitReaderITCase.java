package io.tapflow.flink.source.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.mysql.MySqlConnections;
import io.tapflow.flink.source.mysql.MySqlSourceInspector;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Splits against a real MariaDB: ranges cover every row exactly once, and a resumed split continues after its key. */
class SnapshotSplitReaderITCase {
    private static final String DB = "splits_" + ProcessHandle.current().pid();
    private static DataSource ds;

    @BeforeAll
    static void tables() throws Exception {
        MariaDbServer m = SharedServers.mariaDb();
        m.createDatabase(DB);
        ds = DataSource.of("mysql", "splits").host(m.host()).port(m.port()).username(m.cdcUser())
                .password(m.cdcPassword()).database(DB).resolved();
        try (Connection c = m.connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sparse (id BIGINT PRIMARY KEY, v VARCHAR(20))");
            // ids 7, 10, 13, ... with a gap: ranges are cut by value, not by row count.
            s.execute("INSERT INTO sparse SELECT 7 + 3 * seq, CONCAT('v', seq) FROM seq_0_to_2999 WHERE seq NOT BETWEEN 1000 AND 1999");
            s.execute("CREATE TABLE pairs (a INT, b VARCHAR(5), v INT, PRIMARY KEY (a, b))");
            s.execute("INSERT INTO pairs VALUES (1,'a',1),(1,'b',2),(2,'a',3),(2,'b',4),(2,'c',5),(3,'a',6)");
            s.execute("CREATE TABLE keyless (code VARCHAR(10), v INT)");
            s.execute("INSERT INTO keyless VALUES ('x',1),('y',2),('z',3)");
            s.execute("ANALYZE TABLE sparse");
        }
    }

    @Test
    void integralKeyIsCutIntoRangesThatCoverEveryRowOnce() throws Exception {
        TableSchema table = schema("sparse", List.of());
        List<SnapshotSplit> splits = plan(table, 300, List.of());
        assertThat(splits).hasSizeGreaterThan(3);
        assertThat(splits.get(0).rangeStart()).isNull();
        assertThat(splits.get(splits.size() - 1).rangeEnd()).isNull();

        List<ChangeEvent> events = read(table, splits);
        List<Object> ids = events.stream().map(e -> e.after().get("id")).toList();
        assertThat(ids).hasSize(2000).doesNotHaveDuplicates().contains(7L, 7L + 3 * 999, 7L + 3 * 2000, 7L + 3 * 2999);
        assertThat(events).allMatch(e -> e.op() == Op.READ && e.key().equals(Map.of("id", e.after().get("id"))));
    }

    @Test
    void resumedSplitContinuesAfterTheLastCompositeKey() throws Exception {
        TableSchema table = schema("pairs", List.of());
        List<SnapshotSplit> splits = plan(table, 1000, List.of());
        assertThat(splits).singleElement().matches(s -> s.resumable() && s.rangeColumn() == null);

        SnapshotSplit resumed = splits.get(0).progressed(List.of(2, "a"), 3);
        List<Object> values = read(table, List.of(resumed)).stream().map(e -> e.after().get("v")).toList();
        assertThat(values).containsExactly(4, 5, 6);
    }

    @Test
    void tableWithoutPrimaryKeyIsOneSplitReadWhole() throws Exception {
        TableSchema table = schema("keyless", List.of("code"));
        List<SnapshotSplit> splits = plan(table, 1000, List.of("code"));
        assertThat(splits).singleElement().matches(s -> !s.resumable() && s.keyColumns().equals(List.of("code")));
        assertThat(read(table, splits)).extracting(e -> e.after().get("code")).containsExactlyInAnyOrder("x", "y", "z");
    }

    /** A column dropped after planning, before the snapshot read the table, fails the job naming table and column. */
    @Test
    void aColumnDroppedBeforeItsSplitIsReadFailsTheSplitNamingIt() throws Exception {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shrinking (id INT PRIMARY KEY, gone INT, kept INT)");
            s.execute("INSERT INTO shrinking VALUES (1, 1, 1)");
        }
        TableSchema table = schema("shrinking", List.of());
        List<SnapshotSplit> splits = plan(table, 1000, List.of());
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE shrinking DROP COLUMN gone");
        }
        // Fatal: a restart would read the same columns again.
        assertThatThrownBy(() -> read(table, splits)).isInstanceOf(SuppressRestartsException.class).cause()
                .hasMessageContaining(DB + ".shrinking").hasMessageContaining("Unknown column 'gone'");
    }

    @Test
    void planCarriesTheServersRowEstimate() throws Exception {
        try (Connection c = MySqlConnections.open(ds)) {
            TablePlan plan = new SnapshotSplitPlanner(300).plan(c, schema("sparse", List.of()), List.of());
            // ANALYZE TABLE ran after the load; InnoDB statistics are estimates, so allow some slack.
            assertThat(plan.table()).isEqualTo(DB + ".sparse");
            assertThat(plan.estimatedRows()).isBetween(1_000L, 4_000L);
        }
    }

    private static List<SnapshotSplit> plan(TableSchema table, int chunkSize, List<String> keyOverride) throws Exception {
        try (Connection c = MySqlConnections.open(ds)) {
            return new SnapshotSplitPlanner(chunkSize).plan(c, table, keyOverride).splits();
        }
    }

    private static TableSchema schema(String table, List<String> keyOverride) {
        return new MySqlSourceInspector(ds).inspect(List.of(table), keyOverride).get(0);
    }

    /** Reads the splits with a small batch size, so every split spans several fetches. */
    private static List<ChangeEvent> read(TableSchema table, List<SnapshotSplit> splits) throws Exception {
        List<ChangeEvent> events = new ArrayList<>();
        try (SnapshotSplitReader reader = new SnapshotSplitReader(ds, Map.of(table.qualifiedName(), table), 97)) {
            reader.handleSplitsChanges(new SplitsAddition<>(splits));
            int finished = 0;
            while (finished < splits.size()) {
                RecordsWithSplitIds<ChangeEvent> batch = reader.fetch();
                while (batch.nextSplit() != null) {
                    for (ChangeEvent e = batch.nextRecordFromSplit(); e != null; e = batch.nextRecordFromSplit()) {
                        events.add(e);
                    }
                }
                finished += batch.finishedSplits().size();
            }
        }
        return events;
    }
}
