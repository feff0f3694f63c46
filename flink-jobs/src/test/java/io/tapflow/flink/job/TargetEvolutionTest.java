package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a new source schema means for the target under each policy, through the steps. */
class TargetEvolutionTest {
    private static final Column ID = new Column("id", "int", "int(11)", -1, 10, 0, false, false);
    private static final Column A = new Column("a", "varchar", "varchar(10)", 10, -1, -1, true, false);
    private static final Column A30 = new Column("a", "varchar", "varchar(30)", 30, -1, -1, true, false);
    private static final Column B = new Column("b", "int", "int(11)", -1, 10, 0, true, false);
    private static final Column BEE = new Column("bee", "int", "int(11)", -1, 10, 0, true, false);
    private static final Column NOTE = new Column("note", "varchar", "varchar(40)", 40, -1, -1, true, false);
    private static final TableSchema BEFORE = new TableSchema("shop", "t", List.of(ID, A, B), List.of("id"));

    private static TargetEvolution evolution(List<Step> steps) {
        return new TargetEvolution(BEFORE, TargetColumns.plan(steps, BEFORE, List.of(), "t", new ArrayList<>()));
    }

    private static TableSchema source(Column... columns) {
        return new TableSchema("shop", "t", List.of(columns), List.of("id"));
    }

    @Test
    void lenientAddsAndWidensButKeepsDroppedAndRenamedColumns() {
        TargetEvolution.Outcome added = evolution(List.of()).decide(source(ID, A30, B, NOTE), List.of(), List.of(), SchemaChangePolicy.LENIENT);
        assertThat(added.sourceChanges()).containsExactly(new SchemaChange.AddColumn(NOTE), new SchemaChange.ModifyColumn(A, A30));
        assertThat(added.targetChanges()).containsExactly(new SchemaChange.AddColumn(NOTE), new SchemaChange.ModifyColumn(A, A30));

        TargetEvolution.Outcome renamed = evolution(List.of()).decide(source(ID, A, BEE), List.of(), List.of(), SchemaChangePolicy.LENIENT);
        assertThat(renamed.sourceChanges()).containsExactly(new SchemaChange.RenameColumn("b", "bee"));
        assertThat(renamed.targetChanges()).containsExactly(new SchemaChange.AddColumn(BEE));
        assertThat(renamed.newTarget().columnNames()).containsExactly("id", "a", "b", "bee");

        assertThat(evolution(List.of()).decide(source(ID, A), List.of(), List.of(), SchemaChangePolicy.LENIENT).targetChanges()).isEmpty();
    }

    @Test
    void evolveMakesEveryChangeAndStepsApplyToIt() {
        List<Step> steps = List.of(new Step.RenameFields(Map.of("a", "alpha")));
        TargetEvolution.Outcome widened = evolution(steps).decide(source(ID, A30, B), steps, List.of(), SchemaChangePolicy.EVOLVE);
        assertThat(widened.targetChanges()).singleElement().isInstanceOfSatisfying(SchemaChange.ModifyColumn.class,
                m -> assertThat(m.after().name()).isEqualTo("alpha"));
        TargetEvolution.Outcome dropped = evolution(steps).decide(source(ID, A), steps, List.of(), SchemaChangePolicy.EVOLVE);
        assertThat(dropped.targetChanges()).containsExactly(new SchemaChange.DropColumn("b"));
        List<Step> include = List.of(new Step.IncludeFields(List.of("id", "a")));
        assertThat(evolution(include).decide(source(ID, A, B, NOTE), include, List.of(), SchemaChangePolicy.EVOLVE).targetChanges())
                .as("an include list stays as it is").isEmpty();
    }

    @Test
    void ignoreKeepsTheKnownSchemaAndFailAndBrokenStepsStop() {
        TargetEvolution.Outcome ignored = evolution(List.of()).decide(source(ID, A, B, NOTE), List.of(), List.of(), SchemaChangePolicy.IGNORE);
        assertThat(ignored.targetChanges()).isEmpty();
        assertThat(ignored.newSource()).isEqualTo(BEFORE);
        assertThatThrownBy(() -> evolution(List.of()).decide(source(ID, A, B, NOTE), List.of(), List.of(), SchemaChangePolicy.FAIL))
                .hasMessageStartingWith("schema change on shop.t: ADD COLUMN note varchar(40); the pipeline's schema-change policy is fail");
        List<Step> retype = List.of(new Step.ChangeType("b", FieldType.STRING));
        assertThatThrownBy(() -> evolution(retype).decide(source(ID, A, BEE), retype, List.of(), SchemaChangePolicy.LENIENT))
                .hasMessageStartingWith("schema change on shop.t: RENAME COLUMN b TO bee breaks the pipeline: step '"
                        + retype.get(0).id() + "' names field 'b'");
    }
}
