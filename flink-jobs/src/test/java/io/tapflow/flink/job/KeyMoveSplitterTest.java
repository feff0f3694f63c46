package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class KeyMoveSplitterTest {
    private static final TargetTable BY_EMAIL = new TargetTable("db.customer", "customer", List.of("email"), List.of(
            new Column("id", "int", "int(11)", -1, 10, 0, false, false),
            new Column("email", "varchar", "varchar(50)", 50, -1, -1, false, false)));

    @Test
    void updateThatMovesTheTargetKeyBecomesDeleteAndInsert() throws Exception {
        ChangeEvent move = update(row(1, "old@x"), row(1, "new@x"));
        assertThat(split(move)).containsExactly(
                new ChangeEvent(Op.DELETE, "db.customer", Map.of("id", 1), row(1, "old@x"), null, 5L),
                new ChangeEvent(Op.INSERT, "db.customer", Map.of("id", 1), null, row(1, "new@x"), 5L));
    }

    @Test
    void otherChangesPassUnchanged() throws Exception {
        ChangeEvent sameKey = update(row(1, "a@x"), row(2, "a@x"));
        ChangeEvent insert = new ChangeEvent(Op.INSERT, "db.customer", Map.of("id", 3), null, row(3, "c@x"), 6L);
        assertThat(split(sameKey)).containsExactly(sameKey);
        assertThat(split(insert)).containsExactly(insert);
    }

    private static List<ChangeEvent> split(ChangeEvent event) throws Exception {
        List<ChangeEvent> out = new ArrayList<>();
        new KeyMoveSplitter(new io.tapflow.flink.schema.TargetTableLookup(List.of(BY_EMAIL), null)).flatMap(event, new ListCollector<>(out));
        return out;
    }

    private static ChangeEvent update(Map<String, Object> before, Map<String, Object> after) {
        return new ChangeEvent(Op.UPDATE, "db.customer", Map.of("id", 1), before, after, 5L);
    }

    private static Map<String, Object> row(int id, String email) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("email", email);
        return row;
    }
}
