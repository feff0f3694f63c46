package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The common PostgreSQL types through the real CDC source, from the snapshot and from logical replication: both give
 * the same canonical values, and NULL survives in every column. The timestamptz value is written with a +05:30
 * offset by a session in Asia/Kolkata to show that the instant arrives, not the writer's wall clock; timestamp(3) and
 * timestamp(6) cover both ways Debezium encodes timestamps (epoch millis and epoch micros).
 */
class PostgresTypeMappingITCase {
    private static final String COLUMNS = "t_small int2, t_int int4, t_big int8, t_num numeric(38,10), t_num_free numeric, "
            + "t_real real, t_double double precision, t_bool boolean, t_char char(5), t_varchar varchar(100), t_text text, "
            + "t_bytea bytea, t_date date, t_time time(6), t_ts timestamp(6), t_ts3 timestamp(3), t_tstz timestamptz(6), "
            + "t_json json, t_jsonb jsonb, t_uuid uuid, t_inet inet, t_cidr cidr, t_mac macaddr, t_mac8 macaddr8, t_tsv tsvector";
    private static final String VALUES = "-32768, -2147483648, -9223372036854775808, 1234567890123456789012345678.0123456789, "
            + "12345678901234567890.000123456789, 1.5, 3.141592653589793, true, 'abc', '😀 ünï', 'long text 😀', "
            + "'\\xdeadbeef', '2024-02-29', '23:59:59.123456', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123', "
            + "'2024-02-29 18:44:15.123456+05:30', '{\"a\": [1, 2]}', '{\"b\": 1, \"a\": [1, 2]}', "
            + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2001:DB8::FFFF:1.2.3.4/64', '192.168/16', '0800.2b01.0203', "
            + "'08-00-2b-01-02-03-04-05', " + PostgresTypeMappingITCase.TSVECTOR;
    private static final String TSVECTOR = "$$'fox''s':1A 'ünï':2B,3 '😀' 'back\\slash':9C$$";

    @Test
    void commonTypesMapTheSameFromSnapshotAndStream() throws Exception {
        String db = TestDatabases.freshName("pgtypes");
        DataSource pg = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE all_types (id int PRIMARY KEY, " + COLUMNS + ")",
                "SET TIME ZONE 'Asia/Kolkata'",
                "INSERT INTO all_types VALUES (1, " + VALUES + ")",
                "INSERT INTO all_types (id) VALUES (2)");

        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(pg, "all_types", db, 2,
                () -> TestDatabases.postgres(db, "SET TIME ZONE 'Asia/Kolkata'",
                        "INSERT INTO all_types VALUES (3, " + VALUES + ")",
                        "INSERT INTO all_types (id) VALUES (4)"), 2);

        assertThat(byId.get(1).op()).isEqualTo(Op.READ);
        assertThat(byId.get(3).op()).isEqualTo(Op.INSERT);
        assertThat(byId.get(3).table()).isEqualTo("public.all_types");
        assertThat(byId.get(3).key()).isEqualTo(Map.of("id", 3));
        String tsvector = serverText(db, TSVECTOR);
        RowAssertions.assertRow(byId.get(3).after(), expected(3, tsvector));
        RowAssertions.assertRow(byId.get(1).after(), expected(1, tsvector));
        for (int nullRow : new int[] {2, 4}) {
            RowAssertions.assertNullsExceptId(byId.get(nullRow).after(), 26);
        }
    }

    /** Intervals PostgreSQL holds with each part's own sign, at the microsecond and at the bounds of every part. */
    private static final String[] INTERVALS = {"1 year 2 mons 3 days 04:05:06.78", "-1 mon +2 days -03:00:00", "0",
        "-00:00:00.000001", "00:00:59.999999", "-1 year -2 mons +3 days -04:05:06.5", "14 mons", "1000000 hours",
        "-178956970 years -8 mons -2147483648 days -2147483647:59:59.999999", "178956970 years 7 mons 2147483647 days"};

    /**
     * interval arrives as the ISO 8601 text PostgreSQL prints with IntervalStyle iso_8601, from the snapshot and the
     * stream alike, and NULL stays NULL.
     */
    @Test
    void intervalsArriveAsPostgresIsoText() throws Exception {
        String db = TestDatabases.freshName("pgival");
        DataSource pg = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE ivals (id int PRIMARY KEY, v interval)", insertIntervals(0));
        int rows = INTERVALS.length + 1;
        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(pg, "ivals", db, rows,
                () -> TestDatabases.postgres(db, insertIntervals(100)), rows);

        Map<Integer, String> server = new LinkedHashMap<>();
        try (java.sql.Connection c = io.tapflow.servers.SharedServers.postgres().connect(db);
             java.sql.Statement s = c.createStatement()) {
            s.execute("SET IntervalStyle = 'iso_8601'");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT id, v FROM ivals")) {
                while (rs.next()) {
                    server.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        assertThat(server.get(1)).isEqualTo("P1Y2M3DT4H5M6.78S");
        assertThat(server.get(2)).isEqualTo("P-1M2DT-3H");
        assertThat(server.get(3)).isEqualTo("PT0S");
        assertThat(server.get(4)).isEqualTo("PT-0.000001S");
        assertThat(server.get(INTERVALS.length + 1)).isNull();
        for (int id = 1; id <= rows; id++) {
            assertThat(byId.get(id).op()).isEqualTo(Op.READ);
            assertThat(byId.get(id).after().get("v")).as("snapshot row %d", id).isEqualTo(server.get(id));
            assertThat(byId.get(100 + id).op()).isEqualTo(Op.INSERT);
            assertThat(byId.get(100 + id).after().get("v")).as("stream row %d", 100 + id).isEqualTo(server.get(id));
        }
    }

    private static String insertIntervals(int firstId) {
        StringBuilder sql = new StringBuilder("INSERT INTO ivals VALUES ");
        for (int i = 0; i < INTERVALS.length; i++) {
            sql.append('(').append(firstId + i + 1).append(", '").append(INTERVALS[i]).append("'), ");
        }
        return sql.append('(').append(firstId + INTERVALS.length + 1).append(", NULL)").toString();
    }

    /** tsvector as the server prints it (lexemes sorted, quotes doubled, backslashes escaped). */
    private static String serverText(String db, String tsvector) throws Exception {
        try (java.sql.Connection c = io.tapflow.servers.SharedServers.postgres().connect(db);
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT " + tsvector + "::tsvector::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, Object> expected(int id, String tsvector) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("t_small", -32768);
        row.put("t_int", Integer.MIN_VALUE);
        row.put("t_big", Long.MIN_VALUE);
        row.put("t_num", new BigDecimal("1234567890123456789012345678.0123456789"));
        row.put("t_num_free", new BigDecimal("12345678901234567890.000123456789"));
        row.put("t_real", 1.5f);
        row.put("t_double", 3.141592653589793);
        row.put("t_bool", true);
        // char(n) is blank-padded by the server.
        row.put("t_char", "abc  ");
        row.put("t_varchar", "😀 ünï");
        row.put("t_text", "long text 😀");
        row.put("t_bytea", HexFormat.of().parseHex("deadbeef"));
        row.put("t_date", LocalDate.of(2024, 2, 29));
        // The snapshot reads time through java.sql.Time (milliseconds); PostgresSnapshotCheck reads it back exactly.
        row.put("t_time", LocalTime.of(23, 59, 59, 123_456_000));
        row.put("t_ts", LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000));
        row.put("t_ts3", LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000));
        // Written as 18:44:15.123456+05:30: the instant is 13:14:15.123456 UTC.
        row.put("t_tstz", Instant.parse("2024-02-29T13:14:15.123456Z"));
        row.put("t_json", "{\"a\": [1, 2]}");
        // jsonb arrives as the server's normalized text.
        row.put("t_jsonb", "{\"a\": [1, 2], \"b\": 1}");
        row.put("t_uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        // The network types as the server prints them (written in other spellings).
        row.put("t_inet", "2001:db8::ffff:102:304/64");
        row.put("t_cidr", "192.168.0.0/16");
        row.put("t_mac", "08:00:2b:01:02:03");
        row.put("t_mac8", "08:00:2b:01:02:03:04:05");
        row.put("t_tsv", tsvector);
        return row;
    }
}
