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
 * Every MySQL type family, through the real CDC source, from the snapshot and from the binlog: both give the same
 * canonical values, and NULL survives in every column. TIMESTAMP is written by a client in +05:30 to show that the
 * instant, not the writer's wall clock, is what arrives.
 */
class TypeMappingITCase {
    static final String COLUMNS = "t_tiny TINYINT, t_tiny_u TINYINT UNSIGNED, t_small SMALLINT, t_small_u SMALLINT UNSIGNED, "
            + "t_medium MEDIUMINT, t_int INT, t_int_u INT UNSIGNED, t_big BIGINT, t_big_u BIGINT UNSIGNED, t_dec DECIMAL(38,10), "
            + "t_float FLOAT, t_double DOUBLE, t_char CHAR(10), t_varchar VARCHAR(100), t_text TEXT, t_binary BINARY(4), "
            + "t_varbinary VARBINARY(16), t_blob BLOB, t_date DATE, t_time TIME(6), t_datetime DATETIME(6), "
            + "t_timestamp TIMESTAMP(6) NULL, t_year YEAR, t_bit1 BIT(1), t_bit BIT(10), t_enum ENUM('a','b','c'), "
            + "t_set SET('x','y','z'), t_json JSON";
    static final String VALUES = "-128, 255, -32768, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808, "
            + "18446744073709551615, 1234567890123456789012345678.0123456789, 1.5, 3.141592653589793, 'abc', '😀 ünï', "
            + "'long text 😀', x'01020304', x'00ff', x'deadbeef', '2024-02-29', '23:59:59.123456', '2024-02-29 13:14:15.123456', "
            + "'2024-02-29 18:44:15.123456', 2024, b'1', b'1000000001', 'b', 'x,z', '{\"a\": [1, 2]}'";

    @Test
    void everyTypeFamilyMapsTheSameFromSnapshotAndBinlog() throws Exception {
        String db = TestDatabases.freshName("types");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE all_types (id INT PRIMARY KEY, " + COLUMNS + ")",
                "SET time_zone = '+05:30'",
                "INSERT INTO all_types VALUES (1, " + VALUES + ")",
                "INSERT INTO all_types (id) VALUES (2)");

        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(mysql, "all_types", "types", 2,
                () -> TestDatabases.mysql(db, "SET time_zone = '+05:30'",
                        "INSERT INTO all_types VALUES (3, " + VALUES + ")",
                        "INSERT INTO all_types (id) VALUES (4)"), 2);

        assertThat(byId.get(1).op()).isEqualTo(Op.READ);
        assertThat(byId.get(3).op()).isEqualTo(Op.INSERT);
        assertThat(byId.get(3).key()).isEqualTo(Map.of("id", 3));
        RowAssertions.assertRow(byId.get(1).after(), expected(1));
        RowAssertions.assertRow(byId.get(3).after(), expected(3));
        for (int nullRow : new int[] {2, 4}) {
            RowAssertions.assertNullsExceptId(byId.get(nullRow).after(), 29);
        }
    }

    private static Map<String, Object> expected(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("t_tiny", -128);
        row.put("t_tiny_u", 255);
        row.put("t_small", -32768);
        row.put("t_small_u", 65535);
        row.put("t_medium", -8388608);
        row.put("t_int", Integer.MIN_VALUE);
        row.put("t_int_u", 4294967295L);
        row.put("t_big", Long.MIN_VALUE);
        row.put("t_big_u", new BigDecimal("18446744073709551615"));
        row.put("t_dec", new BigDecimal("1234567890123456789012345678.0123456789"));
        row.put("t_float", 1.5f);
        row.put("t_double", 3.141592653589793);
        row.put("t_char", "abc");
        row.put("t_varchar", "😀 ünï");
        row.put("t_text", "long text 😀");
        row.put("t_binary", HexFormat.of().parseHex("01020304"));
        row.put("t_varbinary", HexFormat.of().parseHex("00ff"));
        row.put("t_blob", HexFormat.of().parseHex("deadbeef"));
        row.put("t_date", LocalDate.of(2024, 2, 29));
        row.put("t_time", java.time.Duration.ofHours(23).plusMinutes(59).plusSeconds(59).plusNanos(123_456_000));
        row.put("t_datetime", LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000));
        // Written as 18:44:15.123456 by a client in +05:30: the instant is 13:14:15.123456 UTC.
        row.put("t_timestamp", Instant.parse("2024-02-29T13:14:15.123456Z"));
        row.put("t_year", 2024);
        row.put("t_bit1", true);
        row.put("t_bit", 513L);
        row.put("t_enum", "b");
        row.put("t_set", "x,z");
        row.put("t_json", "{\"a\": [1, 2]}");
        return row;
    }
}
