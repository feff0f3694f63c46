package io.tapflow.flink;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A MariaDB table of edge values shared by the value-fidelity tests: NULL in columns with a DEFAULT, the minimum and
 * maximum of every numeric and temporal type, TIME beyond a day and below zero, BIT(64) with the high bit, zero and
 * partial dates, negative zeros, empty strings and binaries, 4-byte UTF-8, MariaDB's JSON alias (big numbers and
 * escapes kept as written), spatial values and values of several MB. Rows are inserted by kind with {@code id = base + kind}, so the same values can be written again on
 * the change stream.
 */
final class EdgeTable {
    static final String DDL = "CREATE TABLE edges (id INT PRIMARY KEY, i_def INT DEFAULT 123, v_def VARCHAR(255) DEFAULT 'flink', "
            + "e_def ENUM('a','b') DEFAULT 'a', tiny TINYINT, small_u SMALLINT UNSIGNED, int_u INT UNSIGNED, big BIGINT, "
            + "big_u BIGINT UNSIGNED, dec65 DECIMAL(65,30), f FLOAT, d DOUBLE, fmd FLOAT(7,2), dmd DOUBLE(10,3), bit64 BIT(64), "
            + "bit1 BIT(1), tm TIME(6), dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, "
            + "dn DATE NOT NULL DEFAULT '2000-01-01', vc VARCHAR(20), txt LONGTEXT, bin LONGBLOB, js JSON, geo GEOMETRY NULL, pt POINT NULL)";
    static final int COLUMNS = 28;
    /** ZEROS: zero dates, a TIME of minus one second and negative zeros (-0e0 in every float and double column). */
    static final int NULLS = 1, MIN = 2, MAX = 3, ZEROS = 4, ODD = 5;
    static final int[] KINDS = {NULLS, MIN, MAX, ZEROS, ODD};
    static final String DEC_MAX = "99999999999999999999999999999999999.999999999999999999999999999999";
    /** 2 MB of text with 4-byte characters, and 3 MB of bytes covering every byte value. */
    static final String BIG_TEXT = "😀ab".repeat(2 * 1024 * 1024 / 6);
    static final byte[] BIG_BYTES = bigBytes();
    /** POINT(1.5 -2.25) with SRID 4326 in MySQL's form: SRID (little-endian), then WKB. */
    static final String POINT_HEX = "E6100000" + "0101000000" + "000000000000F83F" + "00000000000002C0";

    /**
     * A JSON value with a number no double holds and escapes (a control character, newline, quote, backslash), as
     * PostgreSQL's jsonb also prints it: every target keeps it as written.
     */
    static final String JSON_ESCAPES = "{\"n\": 12345678901234567890.123, \"u\": \"\\u0001\\n\\\"\\\\\"}";

    /** Ids of the rows written again on the change stream: STREAM_BASE + kind. */
    static final int STREAM_BASE = 100;

    private EdgeTable() {}

    /**
     * Creates the table in MariaDB database {@code db} with a row of each kind, starts a pipeline into {@code target},
     * waits until {@code rowsInTarget} counts them, writes the same rows again at {@link #STREAM_BASE} + kind, and
     * returns when those arrived too, the pipeline stopped.
     */
    static void replicate(String db, DataSource target, Path checkpoints, IntSupplier rowsInTarget) throws Exception {
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, DDL);
        TestDatabases.mysql(db, inserts(0));
        Pipeline pipeline = Pipeline.named("edges-" + target.type()).readFrom(source.table("edges")).writeTo(target);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            TestDatabases.await(Duration.ofMinutes(2), () -> rowsInTarget.getAsInt() == KINDS.length,
                    () -> "rows in the target: " + rowsInTarget.getAsInt(), job);
            TestDatabases.mysql(db, inserts(STREAM_BASE));
            TestDatabases.await(Duration.ofMinutes(2), () -> rowsInTarget.getAsInt() == 2 * KINDS.length,
                    () -> "rows in the target: " + rowsInTarget.getAsInt(), job);
        }
    }

    /** Statements inserting the five rows at {@code base + kind}; the session allows zero dates. */
    static String[] inserts(int base) {
        return new String[] {
            "SET SESSION sql_mode = '', time_zone = '+00:00', max_statement_time = 0",
            "INSERT INTO edges (id, i_def, v_def, e_def, dn) VALUES (" + (base + NULLS) + ", NULL, NULL, NULL, '1999-12-31')",
            "INSERT INTO edges VALUES (" + (base + MIN) + ", -2147483648, '', 'a', -128, 0, 0, -9223372036854775808, 0, -"
                    + DEC_MAX + ", -3.402823466e38, -1.7976931348623157e308, -99999.99, -9999999.999, b'0', b'0', '-838:59:59', '1000-01-01', "
                    + "'1000-01-01 00:00:00', '1970-01-01 00:00:01', '1000-01-01', '', '', x'', '[]', "
                    + "ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(-180 -90)'))",
            "INSERT INTO edges VALUES (" + (base + MAX) + ", 2147483647, '" + "z".repeat(255) + "', 'b', 127, 65535, 4294967295, "
                    + "9223372036854775807, 18446744073709551615, " + DEC_MAX + ", 3.402823466e38, 1.7976931348623157e308, "
                    + "99999.99, 9999999.999, "
                    + "x'FFFFFFFFFFFFFFFF', b'1', '838:59:59', '9999-12-31', '9999-12-31 23:59:59.999999', "
                    + "'2038-01-19 03:14:07.999999', '9999-12-31', '" + "😀".repeat(20) + "', '" + BIG_TEXT + "', x'"
                    + HexFormat.of().formatHex(BIG_BYTES) + "', '{\"k\": \"😀\", \"n\": 1.5}', "
                    + "ST_GeomFromText('LINESTRING(0 0, 1 1, 2.5 -3)'), x'" + POINT_HEX + "')",
            "INSERT INTO edges (id, tm, dt, dtm, ts, dn, vc, f, d, fmd, dmd, js) VALUES (" + (base + ZEROS) + ", '-00:00:01', "
                    + "'0000-00-00', '2020-00-15 10:00:00', '0000-00-00 00:00:00', '0000-00-00', NULL, -0e0, -0e0, -0e0, -0e0, '"
                    + JSON_ESCAPES.replace("\\", "\\\\") + "')",
            "INSERT INTO edges (id, bit64, tm, dt, dtm, dn, vc, f, d) VALUES (" + (base + ODD) + ", x'8000000000000001', "
                    + "'24:00:00.000001', '2024-02-29', '1969-12-31 23:59:59.999999', '2024-02-29', ' ', 1.5e-45, 4.9e-324)",
        };
    }

    /** The row value every source must deliver for the row of that kind (with the default zero-date rule, null). */
    static Map<String, Object> expected(int id, int kind) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        String[] names = {"i_def", "v_def", "e_def", "tiny", "small_u", "int_u", "big", "big_u", "dec65", "f", "d", "fmd", "dmd",
            "bit64", "bit1", "tm", "dt", "dtm", "ts", "dn", "vc", "txt", "bin", "js", "geo", "pt"};
        Arrays.stream(names).forEach(n -> r.put(n, null));
        switch (kind) {
            case NULLS -> r.put("dn", LocalDate.of(1999, 12, 31));
            case MIN -> {
                r.put("i_def", Integer.MIN_VALUE);
                r.put("v_def", "");
                r.put("e_def", "a");
                r.put("tiny", -128);
                r.put("small_u", 0);
                r.put("int_u", 0L);
                r.put("big", Long.MIN_VALUE);
                r.put("big_u", new BigDecimal("0"));
                r.put("dec65", new BigDecimal("-" + DEC_MAX));
                r.put("f", -Float.MAX_VALUE);
                r.put("d", -Double.MAX_VALUE);
                r.put("fmd", -99999.99f);
                r.put("dmd", -9999999.999);
                r.put("bit64", new BigDecimal("0"));
                r.put("bit1", false);
                r.put("tm", Duration.ofHours(-838).minusMinutes(59).minusSeconds(59));
                r.put("dt", LocalDate.of(1000, 1, 1));
                r.put("dtm", LocalDateTime.of(1000, 1, 1, 0, 0));
                r.put("ts", Instant.parse("1970-01-01T00:00:01Z"));
                r.put("dn", LocalDate.of(1000, 1, 1));
                r.put("vc", "");
                r.put("txt", "");
                r.put("bin", new byte[0]);
                r.put("js", "[]");
                r.put("geo", HexFormat.of().parseHex("00000000" + "0101000000" + "0000000000000000" + "0000000000000000"));
                r.put("pt", HexFormat.of().parseHex("00000000" + "0101000000" + "00000000008066C0" + "00000000008056C0"));
            }
            case MAX -> {
                r.put("i_def", Integer.MAX_VALUE);
                r.put("v_def", "z".repeat(255));
                r.put("e_def", "b");
                r.put("tiny", 127);
                r.put("small_u", 65535);
                r.put("int_u", 4294967295L);
                r.put("big", Long.MAX_VALUE);
                r.put("big_u", new BigDecimal("18446744073709551615"));
                r.put("dec65", new BigDecimal(DEC_MAX));
                r.put("f", Float.MAX_VALUE);
                r.put("d", Double.MAX_VALUE);
                r.put("fmd", 99999.99f);
                r.put("dmd", 9999999.999);
                r.put("bit64", new BigDecimal("18446744073709551615"));
                r.put("bit1", true);
                r.put("tm", Duration.ofHours(838).plusMinutes(59).plusSeconds(59));
                r.put("dt", LocalDate.of(9999, 12, 31));
                r.put("dtm", LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000));
                r.put("ts", Instant.parse("2038-01-19T03:14:07.999999Z"));
                r.put("dn", LocalDate.of(9999, 12, 31));
                r.put("vc", "😀".repeat(20));
                r.put("txt", BIG_TEXT);
                r.put("bin", BIG_BYTES);
                r.put("js", "{\"k\": \"😀\", \"n\": 1.5}");
                r.put("geo", HexFormat.of().parseHex("00000000" + "0102000000" + "03000000" + "0000000000000000"
                        + "0000000000000000" + "000000000000F03F" + "000000000000F03F" + "0000000000000440" + "00000000000008C0"));
                r.put("pt", HexFormat.of().parseHex(POINT_HEX));
            }
            case ZEROS -> {
                r.put("i_def", 123);
                r.put("v_def", "flink");
                r.put("e_def", "a");
                r.put("tm", Duration.ofSeconds(-1));
                r.put("f", -0.0f);
                r.put("d", -0.0d);
                // MariaDB rounds a FLOAT(M,D) / DOUBLE(M,D) value to D digits as it stores it, and that drops the sign of
                // -0: the server holds 0 (SELECT shows 0.00, -fmd -0.00), so +0 is the exact value on both paths.
                r.put("fmd", 0.0f);
                r.put("dmd", 0.0d);
                r.put("js", JSON_ESCAPES);
            }
            case ODD -> {
                r.put("i_def", 123);
                r.put("v_def", "flink");
                r.put("e_def", "a");
                r.put("bit64", new BigDecimal("9223372036854775809"));
                r.put("tm", Duration.ofHours(24).plusNanos(1_000));
                r.put("dt", LocalDate.of(2024, 2, 29));
                r.put("dtm", LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
                r.put("dn", LocalDate.of(2024, 2, 29));
                r.put("vc", " ");
                r.put("f", Float.MIN_VALUE);
                r.put("d", Double.MIN_VALUE);
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return r;
    }

    private static byte[] bigBytes() {
        byte[] b = new byte[3 * 1024 * 1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
