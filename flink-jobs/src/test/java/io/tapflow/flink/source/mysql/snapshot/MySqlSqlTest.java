package io.tapflow.flink.source.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlSqlTest {
    private static final TableSchema PAIRS = new TableSchema("db", "pairs", List.of(
            new Column("a", "int", "int(11)", -1, 10, 0, false, false),
            new Column("b", "varchar", "varchar(5)", 5, -1, -1, false, false)), List.of("a", "b"));

    @Test
    void resumedCompositeKeySplitSelectsRowsAfterTheKeyInKeyOrder() {
        SnapshotSplit split = new SnapshotSplit("db.pairs#0", "db.pairs", List.of("a", "b"), true, null, null, null,
                List.of(2, "a"), 10);
        assertThat(MySqlSql.selectSplit(PAIRS, split)).isEqualTo("SELECT `a`, `b` FROM `db`.`pairs` "
                + "WHERE ((`a` > ?) OR (`a` = ? AND `b` > ?)) ORDER BY `a`, `b`");
        assertThat(MySqlSql.afterParameters(List.of(2, "a"))).containsExactly(2, 2, "a");
    }

    @Test
    void rangeSplitBoundsBothEnds() {
        SnapshotSplit split = new SnapshotSplit("db.pairs#1", "db.pairs", List.of("a"), false, "a", 10L, 20L, null, 0);
        assertThat(MySqlSql.selectSplit(PAIRS, split))
                .isEqualTo("SELECT `a`, `b` FROM `db`.`pairs` WHERE `a` >= ? AND `a` < ?");
    }
}
