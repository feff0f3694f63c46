package io.tapflow.flink.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Target key fields are followed back through renames to the source columns rows are read in order of. */
class SourcePartTest {
    private static final TableSchema ORDERS = new TableSchema("shop", "orders", List.of(
            new Column("region", "varchar", "varchar(8)", 8, -1, -1, false, false),
            new Column("id", "int", "int", -1, 10, 0, false, false),
            new Column("tags", "json", "json", -1, -1, -1, true, false)), List.of("region", "id"));

    @Test
    void renamedKeyFieldsMapToTheirSourceColumns() {
        List<Step> steps = List.of(new Step.RenameFields(Map.of("region", "area", "id", "order_id")));
        SourcePart part = SourcePart.of(null, ORDERS, steps, List.of("area", "order_id"));
        assertThat(part.keyColumns()).containsExactly("region", "id");
        assertThat(part.orderColumns()).containsExactly("region", "id");
    }

    @Test
    void keyFieldsAStepMakesEndTheMappedPrefix() {
        SourcePart unwound = SourcePart.of(null, ORDERS, List.of(new Step.Unwind("tags", "tags_index")),
                List.of("region", "id", "tags_index"));
        assertThat(unwound.keyColumns()).containsExactly("region", "id");
        SourcePart retyped = SourcePart.of(null, ORDERS, List.of(new Step.ChangeType("region", FieldType.INTEGER)),
                List.of("region", "id"));
        assertThat(retyped.keyColumns()).isEmpty();
        assertThat(retyped.orderColumns()).as("then the source key").containsExactly("region", "id");
    }

    @Test
    void columnsTheFirstStepsDropAreNotReadButTheKeyAlwaysIs() {
        SourcePart excluded = SourcePart.of(null, ORDERS, List.of(new Step.ExcludeFields(List.of("tags", "region"))), List.of("id"));
        assertThat(excluded.schema().columns()).extracting(Column::name).containsExactly("region", "id");
        SourcePart included = SourcePart.of(null, ORDERS, List.of(new Step.IncludeFields(List.of("id"))), List.of("id"));
        assertThat(included.schema().columns()).extracting(Column::name).containsExactly("region", "id");
        // After another step a dropped column may have been read by it: everything is read.
        SourcePart later = SourcePart.of(null, ORDERS, List.of(new Step.RenameFields(Map.of("tags", "labels")),
                new Step.ExcludeFields(List.of("labels"))), List.of("id"));
        assertThat(later.schema()).isSameAs(ORDERS);
    }
}
