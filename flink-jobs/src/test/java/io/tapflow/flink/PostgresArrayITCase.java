package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One-dimensional PostgreSQL arrays through the real CDC source: the snapshot and the change stream give the same
 * list, for text arrays with NULL elements, empty arrays, quoted, escaped and empty strings and the text 'NULL', and
 * for arrays of integers, numerics, floats (NaN, infinities), bools, dates (BC, beyond 9999), timestamps, timestamptz
 * (written in two time zones), uuid and jsonb at their bounds. A multi-dimensional value, and one not indexed from 1,
 * is refused on both paths, naming table, column and row, instead of being flattened or shifted.
 */
class PostgresArrayITCase {
    private static final String COLUMNS = "a_text text[], a_varchar varchar(10)[], a_char char(2)[], a_empty text[]";
    private static final String VALUES = "'{\"a\",\"b c\",NULL,\"\\\"q\\\" \\\\\",\"\",\"NULL\",\"😀\"}', '{x}', '{ab,c}', '{}'";

    @Test
    void arraysMapTheSameFromSnapshotAndStream() throws Exception {
        String db = TestDatabases.freshName("pgarrays");
        DataSource pg = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE arrays (id int PRIMARY KEY, " + COLUMNS + ")",
                "INSERT INTO arrays VALUES (1, " + VALUES + ")",
                "INSERT INTO arrays (id) VALUES (2)");

        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(pg, "arrays", db, 2,
                () -> TestDatabases.postgres(db, "INSERT INTO arrays VALUES (3, " + VALUES + ")",
                        "INSERT INTO arrays (id) VALUES (4)"), 2);

        assertThat(byId.get(1).op()).isEqualTo(Op.READ);
        assertThat(byId.get(3).op()).isEqualTo(Op.INSERT);
        RowAssertions.assertRow(byId.get(1).after(), expected(1));
        RowAssertions.assertRow(byId.get(3).after(), expected(3));
        for (int nullRow : new int[] {2, 4}) {
            RowAssertions.assertNullsExceptId(byId.get(nullRow).after(), 5);
        }
    }

    /** Arrays of the other element types: every element as a column of its type would hold it, at min and max. */
    static final String TYPED_COLUMNS = "a_int2 int2[], a_int4 int4[], a_int8 int8[], a_num numeric(12,4)[], a_numf numeric[], "
            + "a_real real[], a_double float8[], a_bool bool[], a_date date[], a_ts timestamp(6)[], a_tstz timestamptz[], "
            + "a_uuid uuid[], a_jsonb jsonb[]";
    static final String TYPED_VALUES = "'{-32768,32767,NULL}', '{-2147483648,2147483647}', "
            + "'{-9223372036854775808,9223372036854775807,NULL}', '{-99999999.9999,0.0001,NULL}', "
            + "'{12345678901234567890.000123456789,-1e-20}', '{3.4028235e38,-1.5,NaN,Infinity}', "
            + "'{1.7976931348623157e308,4.9e-324,-Infinity}', '{t,f,NULL}', '{4713-01-01 BC,2024-02-29,5874897-12-31,NULL}', "
            + "'{\"0001-01-01 00:00:00\",\"2024-02-29 13:14:15.123456\"}', "
            + "'{\"2024-02-29 18:44:15.123456+05:30\",NULL,\"1500-01-01 00:00:00+00\"}', "
            + "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}', ARRAY['{\"b\": 1, \"a\": [1, 2]}', NULL, '\"x,}\"']::jsonb[]";

    @Test
    void typedArraysMapTheSameFromSnapshotAndStream() throws Exception {
        String db = TestDatabases.freshName("pgtarrays");
        DataSource pg = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE arrays (id int PRIMARY KEY, " + TYPED_COLUMNS + ")", "SET TIME ZONE 'Asia/Kolkata'",
                "INSERT INTO arrays VALUES (1, " + TYPED_VALUES + ")", "INSERT INTO arrays (id) VALUES (2)",
                "INSERT INTO arrays (id, a_int4, a_tstz) VALUES (5, '{}', '{}')");

        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(pg, "arrays", db, 3,
                () -> TestDatabases.postgres(db, "SET TIME ZONE 'America/Los_Angeles'", "INSERT INTO arrays VALUES (3, " + TYPED_VALUES + ")",
                        "INSERT INTO arrays (id) VALUES (4)", "INSERT INTO arrays (id, a_int4, a_tstz) VALUES (6, '{}', '{}')"), 3);

        for (int id : new int[] {1, 3}) {
            RowAssertions.assertRow(byId.get(id).after(), typedExpected(id));
        }
        for (int nullRow : new int[] {2, 4}) {
            RowAssertions.assertNullsExceptId(byId.get(nullRow).after(), 14);
        }
        // An empty array stays empty, NULL stays NULL.
        for (int emptyRow : new int[] {5, 6}) {
            assertThat(byId.get(emptyRow).after()).containsEntry("a_int4", List.of()).containsEntry("a_tstz", List.of())
                    .containsEntry("a_int8", null);
        }
        assertThat(byId.get(1).op()).isEqualTo(Op.READ);
        assertThat(byId.get(3).op()).isEqualTo(Op.INSERT);
    }

    static Map<String, Object> typedExpected(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("a_int2", Arrays.asList(-32768, 32767, null));
        row.put("a_int4", List.of(Integer.MIN_VALUE, Integer.MAX_VALUE));
        row.put("a_int8", Arrays.asList(Long.MIN_VALUE, Long.MAX_VALUE, null));
        row.put("a_num", Arrays.asList(new BigDecimal("-99999999.9999"), new BigDecimal("0.0001"), null));
        row.put("a_numf", List.of(new BigDecimal("12345678901234567890.000123456789"), new BigDecimal("-1e-20")));
        row.put("a_real", List.of(Float.MAX_VALUE, -1.5f, Float.NaN, Float.POSITIVE_INFINITY));
        row.put("a_double", List.of(Double.MAX_VALUE, Double.MIN_VALUE, Double.NEGATIVE_INFINITY));
        row.put("a_bool", Arrays.asList(true, false, null));
        row.put("a_date", Arrays.asList(LocalDate.of(-4712, 1, 1), LocalDate.of(2024, 2, 29), LocalDate.of(5874897, 12, 31), null));
        row.put("a_ts", List.of(LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000)));
        row.put("a_tstz", Arrays.asList(Instant.parse("2024-02-29T13:14:15.123456Z"), null, Instant.parse("1500-01-01T00:00:00Z")));
        row.put("a_uuid", Arrays.asList("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", null));
        // jsonb elements as the server normalizes them.
        row.put("a_jsonb", Arrays.asList("{\"a\": [1, 2], \"b\": 1}", null, "\"x,}\""));
        return row;
    }

    @Test
    void multiDimensionalValuesAreRefusedOnBothPaths() throws Exception {
        String message = "the value '(array)' is refused: it is a multi-dimensional array, which tapflow does not "
                + "replicate (only one-dimensional arrays)";
        PostgresValueEdgesITCase.assertRefused("text[]", "'{{a,b},{c,NULL}}'", true, message);
        PostgresValueEdgesITCase.assertRefused("varchar(5)[]", "'{{a,b},{c,NULL}}'", false, message);
        PostgresValueEdgesITCase.assertRefused("int[]", "'{{1,2},{3,NULL}}'", true, message);
        PostgresValueEdgesITCase.assertRefused("int[]", "'{{1,2},{3,NULL}}'", false, message);
    }

    @Test
    void arraysNotIndexedFromOneAreRefusedOnBothPaths() throws Exception {
        String message = "the value '[0:1]=...' is refused: its indexes run [0:1] instead of from 1, which a list of its "
                + "elements cannot show (tapflow replicates arrays indexed from 1)";
        PostgresValueEdgesITCase.assertRefused("date[]", "'[0:1]={2024-01-01,NULL}'", true, message);
        PostgresValueEdgesITCase.assertRefused("text[]", "'[0:1]={a,b}'", false, message);
    }

    private static Map<String, Object> expected(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("a_text", Arrays.asList("a", "b c", null, "\"q\" \\", "", "NULL", "😀"));
        row.put("a_varchar", List.of("x"));
        // char(n) elements are blank-padded like char(n) values.
        row.put("a_char", List.of("ab", "c "));
        row.put("a_empty", List.of());
        return row;
    }
}
