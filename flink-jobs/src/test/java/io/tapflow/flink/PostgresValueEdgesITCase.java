package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

/**
 * Edge values of a PostgreSQL source, from the snapshot and from the change stream: both deliver the same, exact
 * values. The snapshot (Flink CDC over JDBC's java.sql types) cut time(6) to milliseconds, shifted dates before
 * 1582 by the Julian calendar, turned 4713-01-01 BC into AD, 24:00:00 into 00:00:00 and numeric NaN into NULL; the
 * change stream crashed on infinity. Now what no row value can hold is refused on both paths, naming table, column
 * and row.
 */
class PostgresValueEdgesITCase {
    static final String COLUMNS = "i_def int DEFAULT 123, v_def varchar(20) DEFAULT 'flink', n numeric, "
            + "n5 numeric(10,5), r real, d double precision, dt date, t time(6), t0 time(0), ts timestamp(6), "
            + "tstz timestamptz(6), b bytea, vc varchar(10), tx text";
    static final String[] ROWS = {
        "NULL, NULL, NULL, -12345.67891, 'Infinity', '-Infinity', '1582-10-04', '00:00:00', '23:59:59', "
                + "'1582-10-14 12:00:00', '1500-01-01 00:00:00+00', '\\x', '', ''",
        "0, 'x', '1e-30', 0.00001, 'NaN', 'NaN', '4713-01-01 BC', '00:00:00.000001', '00:00:00', '0001-01-01 00:00:00', "
                + "'294276-12-31 23:59:59.999999+00', '\\x00ff', '😀', 'a'",
        "-2147483648, 'y', 12345678901234567890123456789012345678901234567890.123456789, 99999.99999, 3.4028235e38, "
                + "1.7976931348623157e308, '5874897-12-31', '23:59:59.999999', '12:00:00', '1970-01-01 00:00:00', "
                + "'1970-01-01 00:00:00+00', NULL, NULL, NULL",
        "1, 'z', '-0', '-0.00000', '-0', '-0', '2038-01-19', '12:34:56.789012', '00:00:01', '2038-01-19 03:14:08', "
                + "'2038-01-19 03:14:08+00', '\\x00ff00', ' ', 'é'"};

    @Test
    void snapshotAndChangeStreamDeliverTheSameExactValues() throws Exception {
        String db = TestDatabases.freshName("pgedges");
        DataSource pg = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE t (id int PRIMARY KEY, " + COLUMNS + ")");
        for (int i = 0; i < ROWS.length; i++) {
            TestDatabases.postgres(db, "INSERT INTO t VALUES (" + (i + 1) + ", " + ROWS[i] + ")");
        }
        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(pg, "t", db, ROWS.length, () -> {
            for (int i = 0; i < ROWS.length; i++) {
                TestDatabases.postgres(db, "INSERT INTO t VALUES (" + (i + 11) + ", " + ROWS[i] + ")");
            }
        }, ROWS.length);
        for (int i = 1; i <= ROWS.length; i++) {
            assertThat(byId.get(i).op()).isEqualTo(Op.READ);
            RowAssertions.assertRow(byId.get(i).after(), expected(i, i));
            assertThat(byId.get(i + 10).op()).isEqualTo(Op.INSERT);
            RowAssertions.assertRow(byId.get(i + 10).after(), expected(i + 10, i));
        }
    }

    @Test
    void whatNoRowValueHoldsIsRefusedOnBothPaths() throws Exception {
        assertRefused("time(6)", "'24:00:00'", true, "the value '24:00:00' is refused: it is not a time of day");
        assertRefused("numeric(10,2)", "'NaN'", true, "the value 'NaN' is refused: PostgreSQL's numeric NaN");
        assertRefused("numeric", "'NaN'", false, "the value 'NaN' is refused: PostgreSQL's numeric NaN");
        assertRefused("timestamptz", "'-infinity'", false, "the value '-infinity' is refused: PostgreSQL's -infinity");
        assertRefused("date", "'infinity'", true, "the value 'infinity' is refused: PostgreSQL's infinity is no date");
        assertRefused("date", "'-infinity'", false, "the value '-infinity' is refused: PostgreSQL's -infinity is no date");
        assertRefused("date", "'infinity'", false, "the value 'infinity' is refused: PostgreSQL's infinity is no date");
        assertRefused("timestamp", "'infinity'", false, "the value 'infinity' is refused: PostgreSQL's infinity is no date");
        assertRefused("timestamp", "'-infinity'", false, "the value '-infinity' is refused: PostgreSQL's -infinity is no date");
    }

    static void assertRefused(String type, String value, boolean inSnapshot, String message) throws Exception {
        String db = TestDatabases.freshName("pgrefused");
        DataSource pg = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE t (id int PRIMARY KEY, v " + type + ")",
                "INSERT INTO t VALUES (1, " + (inSnapshot ? value : "NULL") + ")");
        assertThatThrownBy(() -> SourceReads.snapshotThenChanges(pg, "t", db, inSnapshot ? 0 : 1,
                () -> TestDatabases.postgres(db, "INSERT INTO t VALUES (2, " + value + ")"), 1))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                        .contains("table public.t column v row {id=" + (inSnapshot ? 1 : 2) + "}: " + message));
    }

    static Map<String, Object> expected(int id, int kind) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        switch (kind) {
            case 1 -> {
                r.put("i_def", null);
                r.put("v_def", null);
                r.put("n", null);
                r.put("n5", new BigDecimal("-12345.67891"));
                r.put("r", Float.POSITIVE_INFINITY);
                r.put("d", Double.NEGATIVE_INFINITY);
                r.put("dt", LocalDate.of(1582, 10, 4));
                r.put("t", LocalTime.MIDNIGHT);
                r.put("t0", LocalTime.of(23, 59, 59));
                r.put("ts", LocalDateTime.of(1582, 10, 14, 12, 0));
                r.put("tstz", Instant.parse("1500-01-01T00:00:00Z"));
                r.put("b", new byte[0]);
                r.put("vc", "");
                r.put("tx", "");
            }
            case 2 -> {
                r.put("i_def", 0);
                r.put("v_def", "x");
                r.put("n", new BigDecimal("1e-30"));
                r.put("n5", new BigDecimal("0.00001"));
                r.put("r", Float.NaN);
                r.put("d", Double.NaN);
                r.put("dt", LocalDate.of(-4712, 1, 1));
                r.put("t", LocalTime.of(0, 0, 0, 1_000));
                r.put("t0", LocalTime.MIDNIGHT);
                r.put("ts", LocalDateTime.of(1, 1, 1, 0, 0));
                r.put("tstz", Instant.parse("+294276-12-31T23:59:59.999999Z"));
                r.put("b", HexFormat.of().parseHex("00ff"));
                r.put("vc", "😀");
                r.put("tx", "a");
            }
            case 4 -> {
                // Negative zeros: real and double keep the sign; numeric has none (PostgreSQL holds '-0' as 0).
                r.put("i_def", 1);
                r.put("v_def", "z");
                r.put("n", new BigDecimal("0"));
                r.put("n5", new BigDecimal("0.00000"));
                r.put("r", -0.0f);
                r.put("d", -0.0d);
                r.put("dt", LocalDate.of(2038, 1, 19));
                r.put("t", LocalTime.of(12, 34, 56, 789_012_000));
                r.put("t0", LocalTime.of(0, 0, 1));
                r.put("ts", LocalDateTime.of(2038, 1, 19, 3, 14, 8));
                r.put("tstz", Instant.parse("2038-01-19T03:14:08Z"));
                r.put("b", HexFormat.of().parseHex("00ff00"));
                r.put("vc", " ");
                r.put("tx", "é");
            }
            default -> {
                r.put("i_def", Integer.MIN_VALUE);
                r.put("v_def", "y");
                r.put("n", new BigDecimal("12345678901234567890123456789012345678901234567890.123456789"));
                r.put("n5", new BigDecimal("99999.99999"));
                r.put("r", Float.MAX_VALUE);
                r.put("d", Double.MAX_VALUE);
                r.put("dt", LocalDate.of(5874897, 12, 31));
                r.put("t", LocalTime.of(23, 59, 59, 999_999_000));
                r.put("t0", LocalTime.NOON);
                r.put("ts", LocalDateTime.of(1970, 1, 1, 0, 0));
                r.put("tstz", Instant.EPOCH);
                r.put("b", null);
                r.put("vc", null);
                r.put("tx", null);
            }
        }
        return r;
    }
}
