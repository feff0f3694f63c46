package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import java.util.Map;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

/**
 * The datasource option zero-date=error: a zero or invalid date stops the job with a message naming the table, column
 * and row, on the snapshot path and on the change stream alike (where the binlog reader hides it as NULL or as the
 * column's DEFAULT, and tapflow reads the row back). The default rule, null, is covered by ValueEdgesITCase.
 */
class ZeroDateRuleITCase {
    private static final String DDL = "CREATE TABLE d (id INT PRIMARY KEY, maybe DATE NULL, "
            + "required DATETIME NOT NULL DEFAULT '2000-01-01 00:00:00')";

    @Test
    void snapshotStopsAtAZeroDateNamingTableColumnAndRow() throws Exception {
        String db = TestDatabases.freshName("zerosnap");
        DataSource strict = strict(db);
        TestDatabases.mysql(db, DDL, "SET SESSION sql_mode = ''",
                "INSERT INTO d VALUES (1, '2024-01-01', '2024-01-01 10:00:00')",
                "INSERT INTO d VALUES (2, '2020-00-15', '2024-01-01 10:00:00')");

        assertThatThrownBy(() -> SourceReads.snapshotThenChanges(strict, "d", "zerosnap", 2, () -> { }, 0))
                .satisfies(e -> assertThat(rootMessage(e)).contains("table " + db + ".d column maybe row {id=2} holds the "
                        + "date '2020-00-15'").contains("zero-date=null"));
    }

    @Test
    void changeStreamStopsAtAZeroDateInANotNullColumn() throws Exception {
        String db = TestDatabases.freshName("zerostream");
        DataSource strict = strict(db);
        TestDatabases.mysql(db, DDL, "INSERT INTO d VALUES (1, NULL, '2024-01-01 10:00:00')");

        assertThatThrownBy(() -> SourceReads.snapshotThenChanges(strict, "d", "zerostream", 1,
                () -> TestDatabases.mysql(db, "SET SESSION sql_mode = ''",
                        // A real DEFAULT and a real NULL pass; the zero date, which the binlog shows as the DEFAULT, stops it.
                        "INSERT INTO d (id) VALUES (2)",
                        "INSERT INTO d VALUES (3, '0000-00-00', '0000-00-00 00:00:00')"), 3))
                .satisfies(e -> assertThat(rootMessage(e)).contains("table " + db + ".d column maybe row {id=3} holds the "
                        + "date '0000-00-00'"));
    }

    @Test
    void realNullsAndDefaultsPassUnderTheStrictRule() throws Exception {
        String db = TestDatabases.freshName("zerook");
        DataSource strict = strict(db);
        TestDatabases.mysql(db, DDL, "INSERT INTO d VALUES (1, NULL, '2024-01-01 10:00:00')");
        Map<Integer, ChangeEvent> byId = SourceReads.snapshotThenChanges(strict, "d", "zerook", 1,
                () -> TestDatabases.mysql(db, "INSERT INTO d (id) VALUES (2)"), 1);
        assertThat(byId.get(2).after()).containsEntry("maybe", null)
                .containsEntry("required", java.time.LocalDateTime.of(2000, 1, 1, 0, 0));
    }

    private static DataSource strict(String db) throws Exception {
        return TestDatabases.mysqlSource(db).option("zero-date", "error");
    }

    private static String rootMessage(Throwable e) {
        return ExceptionUtils.stringifyException(e);
    }
}
