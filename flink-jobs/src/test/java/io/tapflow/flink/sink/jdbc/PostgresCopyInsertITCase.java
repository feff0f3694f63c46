package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COPY against a real PostgreSQL: every canonical value type, including text that needs escaping, arrives exactly as
 * the parameter-binding upsert path writes it; a row already in the target makes the writer fall back to upserts.
 */
class PostgresCopyInsertITCase {
    private static final String DB = "copy_" + ProcessHandle.current().pid();
    private static final String COLUMNS = "id integer PRIMARY KEY, t_small smallint, t_big bigint, t_ubig numeric(20,0), "
            + "t_dec numeric(38,10), t_real real, t_double double precision, t_text text, t_bytes bytea, t_date date, "
            + "t_time time(6), t_datetime timestamp(6), t_instant timestamptz(6), t_bool boolean, t_json jsonb";
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static DataSource ds;

    @BeforeAll
    static void database() throws SQLException {
        PostgresServer pg = SharedServers.postgres();
        pg.createDatabase(DB);
        ds = DataSource.of("postgres", "copy-test").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(DB).resolved();
    }

    @Test
    void copyWritesEveryValueTypeLikeTheUpsertPath() throws SQLException {
        List<Map<String, Object>> rows = List.of(fullRow(1), nullRow(2));
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        try (Connection c = JdbcConnections.open(DIALECT, ds); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE via_copy (" + COLUMNS + ")");
            s.execute("CREATE TABLE via_bind (" + COLUMNS + ")");
            new PostgresCopyInsert(c, DIALECT).insert("via_copy", columns, rows);
            try (PreparedStatement ps = c.prepareStatement(DIALECT.upsertSql("via_bind", columns, List.of("id")))) {
                for (Map<String, Object> row : rows) {
                    for (int i = 0; i < columns.size(); i++) {
                        DIALECT.bind(ps, i + 1, row.get(columns.get(i)));
                    }
                    ps.executeUpdate();
                }
            }
            List<List<String>> copied = read(c, "via_copy");
            assertThat(copied).isEqualTo(read(c, "via_bind"));
            assertThat(copied.get(0)).contains("tab\there, new\nline, back\\slash \\N \\. 😀 ünï");
            assertThat(copied.get(1).subList(1, copied.get(1).size())).containsOnlyNulls();
        }
    }

    @Test
    void rowsWhoseFieldsAreNotInColumnOrderAreCopiedByName() throws SQLException {
        try (Connection c = JdbcConnections.open(DIALECT, ds); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE by_name (id integer PRIMARY KEY, a text, b text)");
            new PostgresCopyInsert(c, DIALECT).insert("by_name", List.of("id", "a", "b"), List.of(
                    fields("id", 1, "a", "a1", "b", "b1"),
                    fields("id", 2, "b", "b2", "a", "a2"),
                    fields("x", "not a column", "id", 3, "a", "a3", "b", "b3"),
                    fields("id", 4, "b", "b4"),
                    fields("id", 5, "a", "a5", "x", "not a column", "b", "b5")));
            assertThat(read(c, "by_name")).containsExactly(List.of("1", "a1", "b1"), List.of("2", "a2", "b2"),
                    List.of("3", "a3", "b3"), java.util.Arrays.asList("4", null, "b4"), List.of("5", "a5", "b5"));
        }
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void copyOfARowAlreadyThereIsAKeyConflict() throws SQLException {
        try (Connection c = JdbcConnections.open(DIALECT, ds); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE conflict (" + COLUMNS + ")");
            PostgresCopyInsert copy = new PostgresCopyInsert(c, DIALECT);
            List<Map<String, Object>> row = List.of(fullRow(1));
            copy.insert("conflict", new ArrayList<>(row.get(0).keySet()), row);
            assertThatThrownBy(() -> copy.insert("conflict", new ArrayList<>(row.get(0).keySet()), row))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(copy.isKeyConflict(e)).isTrue());
        }
    }

    @Test
    void snapshotBatchMeetingExistingRowsIsUpsertedInstead() throws Exception {
        try (Connection c = JdbcConnections.open(DIALECT, ds); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE replay (id integer PRIMARY KEY, name text)");
            s.execute("INSERT INTO replay VALUES (2, 'stale')");
        }
        TargetTable table = new TargetTable("src.replay", "replay", List.of("id"), List.of(
                new Column("id", "int", "int(11)", -1, 10, 0, false, false),
                new Column("name", "varchar", "varchar(20)", 20, -1, -1, true, false)));
        try (JdbcUpsertWriter writer = new JdbcUpsertWriter(DIALECT, ds, List.of(table), new SinkOptions(100, 60_000),
                new TestProcessingTimeService(), UnregisteredMetricsGroup.createSinkWriterMetricGroup(), null)) {
            for (int id = 1; id <= 3; id++) {
                Map<String, Object> row = new LinkedHashMap<>(Map.of("id", id));
                row.put("name", "row " + id);
                writer.write(new ChangeEvent(Op.READ, "src.replay", Map.of("id", id), null, row, 0L), null);
            }
            writer.flush(false);
        }
        try (Connection c = JdbcConnections.open(DIALECT, ds)) {
            assertThat(read(c, "replay")).containsExactly(List.of("1", "row 1"), List.of("2", "row 2"), List.of("3", "row 3"));
        }
    }

    private static Map<String, Object> fullRow(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("t_small", -32768);
        row.put("t_big", Long.MIN_VALUE);
        row.put("t_ubig", new BigDecimal("18446744073709551615"));
        row.put("t_dec", new BigDecimal("1234567890123456789012345678.0123456789"));
        row.put("t_real", 1.5e10f);
        row.put("t_double", Math.PI);
        row.put("t_text", "tab\there, new\nline, back\\slash \\N \\. 😀 ünï");
        row.put("t_bytes", new byte[] {0, 1, (byte) 0xFF, '\\', '\t'});
        row.put("t_date", LocalDate.of(2024, 2, 29));
        row.put("t_time", LocalTime.of(23, 59, 59, 123_456_000));
        row.put("t_datetime", LocalDateTime.of(2024, 2, 29, 13, 14));
        row.put("t_instant", Instant.parse("2024-02-29T13:14:15.123456Z"));
        row.put("t_bool", true);
        row.put("t_json", "{\"a\": [1, 2], \"b\": \"x\\ty\"}");
        return row;
    }

    private static Map<String, Object> nullRow(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        fullRow(id).keySet().forEach(k -> row.put(k, null));
        row.put("id", id);
        return row;
    }

    /** Every column as PostgreSQL renders it as text (bytea as hex). */
    private static List<List<String>> read(Connection c, String table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                String[] row = new String[meta.getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(Arrays.asList(row));
            }
        }
        return rows;
    }
}
