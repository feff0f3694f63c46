package io.tapflow.flink.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A topic's truncate message empties its target only when every row message before it named the truncated table. */
class TopicSourceTablesTest {
    private static final String TABLE = "kafka.orders";

    @Test
    void aTruncateOfTheOnlyTableTheRowsNamedIsApplied() {
        TopicSourceTables tables = new TopicSourceTables();
        assertThat(tables.take(TopicSourceTables.rowsNamed(TABLE, "shop.orders"))).isNull();
        ChangeEvent truncate = tables.take(TopicSourceTables.truncate(TABLE, "orders", "shop.orders", 7));
        assertThat(truncate).isEqualTo(new ChangeEvent(Op.TRUNCATE, TABLE, new LinkedHashMap<>(), null, null, 7));
        assertThat(UnappliedTruncate.why(truncate)).isNull();
    }

    @Test
    void aTruncateOfOneTableOfAUnionTopicIsNotApplied() {
        TopicSourceTables tables = new TopicSourceTables();
        tables.take(TopicSourceTables.rowsNamed(TABLE, "shop.orders"));
        tables.take(TopicSourceTables.rowsNamed(TABLE, "shop.returns"));
        ChangeEvent truncate = tables.take(TopicSourceTables.truncate(TABLE, "orders", "shop.orders", 7));
        assertThat(UnappliedTruncate.why(truncate)).isEqualTo("a truncate message of shop.orders in topic orders, whose "
                + "rows before it also named shop.returns: the topic is read as one table, so emptying it would delete "
                + "those rows too; delete shop.orders's rows at the target yourself, or give each source table a topic "
                + "of its own");
    }

    @Test
    void aTruncateNamingNoTableIsAppliedOnlyWhereNoRowNamedOne() {
        TopicSourceTables plain = new TopicSourceTables();
        plain.take(TopicSourceTables.rowsNamed(TABLE, null));
        assertThat(UnappliedTruncate.why(plain.take(TopicSourceTables.truncate(TABLE, "orders", null, 1)))).isNull();
        TopicSourceTables named = new TopicSourceTables();
        named.take(TopicSourceTables.rowsNamed(TABLE, "shop.orders"));
        assertThat(UnappliedTruncate.why(named.take(TopicSourceTables.truncate(TABLE, "orders", null, 1))))
                .startsWith("a truncate message naming no table in topic orders, whose rows before it also named shop.orders:");
    }

    /** tapflow's own union truncate in json: its rows name no table, the truncate names one by its source-table field. */
    @Test
    void aJsonUnionTruncateIsNotAppliedOverRowsNamingNoTable() {
        TopicSourceTables tables = new TopicSourceTables();
        tables.take(TopicSourceTables.rowsNamed(TABLE, null));
        assertThat(UnappliedTruncate.why(tables.take(TopicSourceTables.truncate(TABLE, "orders", "source_table=shop.t", 1))))
                .startsWith("a truncate message of source_table=shop.t in topic orders, whose rows before it also named "
                        + "(rows naming no table):");
    }

    @Test
    void theTablesSeenSurviveARestoreAndOtherTopicsAreApart() {
        TopicSourceTables before = new TopicSourceTables();
        before.take(TopicSourceTables.rowsNamed(TABLE, "shop.orders"));
        before.take(TopicSourceTables.rowsNamed(TABLE, "shop.returns"));
        before.take(TopicSourceTables.rowsNamed("kafka.other", "shop.other"));
        TopicSourceTables restored = new TopicSourceTables();
        restored.restore(before.entries());
        assertThat(UnappliedTruncate.why(restored.take(TopicSourceTables.truncate(TABLE, "orders", "shop.returns", 1))))
                .contains("also named shop.orders:");
        assertThat(UnappliedTruncate.why(restored.take(TopicSourceTables.truncate("kafka.other", "other", "shop.other", 1))))
                .isNull();
    }

    @Test
    void rowsAndOtherTableEventsPassUntouched() {
        ChangeEvent row = new ChangeEvent(Op.INSERT, TABLE, new LinkedHashMap<>(Map.of("id", 1)), null,
                new LinkedHashMap<>(Map.of("id", 1)), 1);
        ChangeEvent unapplied = UnappliedTruncate.of(TABLE, 1, "partitions");
        TopicSourceTables tables = new TopicSourceTables();
        assertThat(List.of(tables.take(row), tables.take(unapplied))).containsExactly(row, unapplied);
    }
}
