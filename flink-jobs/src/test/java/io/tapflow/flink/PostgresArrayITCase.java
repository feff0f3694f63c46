package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One-dimensional PostgreSQL text arrays (text[], varchar(n)[], char(n)[]) through the real CDC source: the snapshot
 * (JDBC arrays) and the change stream (pgoutput's array text) give the same list of strings, with NULL elements,
 * empty arrays, quoted, escaped and empty strings and the text 'NULL'. A multi-dimensional value is refused on both
 * paths, naming table, column and row, instead of being flattened.
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

    @Test
    void multiDimensionalValuesAreRefusedOnBothPaths() throws Exception {
        String message = "the value '(array)' is refused: it is a multi-dimensional array, which tapflow does not "
                + "replicate (only one-dimensional arrays)";
        PostgresValueEdgesITCase.assertRefused("text[]", "'{{a,b},{c,NULL}}'", true, message);
        PostgresValueEdgesITCase.assertRefused("varchar(5)[]", "'{{a,b},{c,NULL}}'", false, message);
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
