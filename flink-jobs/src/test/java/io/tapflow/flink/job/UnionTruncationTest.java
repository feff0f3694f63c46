package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A union's rows of the truncated table are told apart only by a string field computed from the table alone. */
class UnionTruncationTest {
    private static final List<String> WRITERS = List.of("eu.orders", "us.orders");

    private static TargetTable target(String... extraColumns) {
        List<Column> columns = new java.util.ArrayList<>(List.of(new Column("id", "int", "int", -1, 10, 0, false, false)));
        for (String c : extraColumns) {
            columns.add(new Column(c, "text", "text", 65_535, -1, -1, true, false));
        }
        return new TargetTable("eu.orders", "all_orders", List.of("id"), columns);
    }

    private static Step.AddField field(String name, String expression) {
        return new Step.AddField(name, FieldValue.expression(expression, FieldType.STRING));
    }

    @Test
    void aFieldHoldingTheTableNameScopesTheDelete() {
        UnionTruncation.Decision d = UnionTruncation.decide(List.of(field("src", "table")), target("src"), "eu.orders", WRITERS);
        assertThat(d).isEqualTo(new UnionTruncation.Decision(new TruncateScope("src", "eu.orders"), null));
        UnionTruncation.Decision db = UnionTruncation.decide(List.of(field("db", "table.split('.')[0]")), target("db"),
                "us.orders", WRITERS);
        assertThat(db.scope()).isEqualTo(new TruncateScope("db", "us"));
    }

    @Test
    void withoutSuchAFieldTheReportSaysWhatToAdd() {
        assertThat(UnionTruncation.decide(List.of(), target(), "eu.orders", WRITERS).refusal()).isEqualTo(
                "other source tables write all_orders too (us.orders), and no field of its rows says which source table "
                        + "wrote them; to delete only this table's rows, add the source table as a field, e.g. "
                        + "addField(\"source_table\", expression(\"table\", FieldType.STRING)) (in a script "
                        + "add_field(name='source_table', expression='table', type='string'))");
        // Computed from the row, changed by a later UDF, or not reaching the target: not a field of the table.
        assertThat(UnionTruncation.decide(List.of(field("src", "table + record.id")), target("src"), "eu.orders", WRITERS).scope()).isNull();
        assertThat(UnionTruncation.decide(List.of(field("src", "table"), new Step.JsUdf("return record;")), target("src"),
                "eu.orders", WRITERS).scope()).isNull();
        assertThat(UnionTruncation.decide(List.of(field("src", "table")), target(), "eu.orders", WRITERS).scope()).isNull();
    }

    @Test
    void aFieldWithTheSameValueForTwoWritersCannotTellThemApart() {
        UnionTruncation.Decision d = UnionTruncation.decide(List.of(field("t", "table.split('.')[1]")), target("t"),
                "eu.orders", WRITERS);
        assertThat(d.scope()).isNull();
        assertThat(d.refusal()).endsWith("and field 't' (table.split('.')[1]) holds 'orders' for its rows and those of "
                + "us.orders, so their rows cannot be told apart");
    }
}
