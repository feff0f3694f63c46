package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
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
        TargetEvolution.Outcome added = evolution(List.of()).decide(source(ID, A30, B, NOTE), List.of(), List.of(), SchemaChangeRules.of(SchemaChangePolicy.LENIENT));
        assertThat(added.sourceChanges()).containsExactly(new SchemaChange.AddColumn(NOTE), new SchemaChange.ModifyColumn(A, A30));
        assertThat(added.targetChanges()).containsExactly(new SchemaChange.AddColumn(NOTE), new SchemaChange.ModifyColumn(A, A30));

        TargetEvolution.Outcome renamed = evolution(List.of()).decide(source(ID, A, BEE), List.of(), List.of(), SchemaChangeRules.of(SchemaChangePolicy.LENIENT));
        assertThat(renamed.sourceChanges()).containsExactly(new SchemaChange.RenameColumn("b", "bee"));
        assertThat(renamed.targetChanges()).containsExactly(new SchemaChange.AddColumn(BEE));
        assertThat(renamed.newTarget().columnNames()).containsExactly("id", "a", "b", "bee");

        assertThat(evolution(List.of()).decide(source(ID, A), List.of(), List.of(), SchemaChangeRules.of(SchemaChangePolicy.LENIENT)).targetChanges()).isEmpty();
    }

    @Test
    void evolveMakesEveryChangeAndStepsApplyToIt() {
        List<Step> steps = List.of(new Step.RenameFields(Map.of("a", "alpha")));
        TargetEvolution.Outcome widened = evolution(steps).decide(source(ID, A30, B), steps, List.of(), SchemaChangeRules.of(SchemaChangePolicy.EVOLVE));
        assertThat(widened.targetChanges()).singleElement().isInstanceOfSatisfying(SchemaChange.ModifyColumn.class,
                m -> assertThat(m.after().name()).isEqualTo("alpha"));
        TargetEvolution.Outcome dropped = evolution(steps).decide(source(ID, A), steps, List.of(), SchemaChangeRules.of(SchemaChangePolicy.EVOLVE));
        assertThat(dropped.targetChanges()).containsExactly(new SchemaChange.DropColumn("b"));
        List<Step> include = List.of(new Step.IncludeFields(List.of("id", "a")));
        assertThat(evolution(include).decide(source(ID, A, B, NOTE), include, List.of(), SchemaChangeRules.of(SchemaChangePolicy.EVOLVE)).targetChanges())
                .as("an include list stays as it is").isEmpty();
    }

    @Test
    void ignoreKeepsTheKnownSchemaAndFailAndBrokenStepsStop() {
        TargetEvolution.Outcome ignored = evolution(List.of()).decide(source(ID, A, B, NOTE), List.of(), List.of(), SchemaChangeRules.of(SchemaChangePolicy.IGNORE));
        assertThat(ignored.targetChanges()).isEmpty();
        assertThat(ignored.newSource()).isEqualTo(BEFORE);
        assertThatThrownBy(() -> evolution(List.of()).decide(source(ID, A, B, NOTE), List.of(), List.of(), SchemaChangeRules.of(SchemaChangePolicy.FAIL)))
                .hasMessageStartingWith("schema change on shop.t: ADD COLUMN note varchar(40); the pipeline's schema-change policy is fail");
        List<Step> retype = List.of(new Step.ChangeType("b", FieldType.STRING));
        assertThatThrownBy(() -> evolution(retype).decide(source(ID, A, BEE), retype, List.of(), SchemaChangeRules.of(SchemaChangePolicy.LENIENT)))
                .hasMessageStartingWith("schema change on shop.t: RENAME COLUMN b TO bee breaks the pipeline: step '"
                        + retype.get(0).id() + "' names field 'b'");
    }

    @Test
    void eachKindOfChangeFollowsItsOwnPolicy() {
        SchemaChangeRules evolveKeepingDrops = new SchemaChangeRules(SchemaChangePolicy.EVOLVE,
                Map.of(SchemaChangeKind.DROP_COLUMN, SchemaChangePolicy.LENIENT));
        TargetEvolution.Outcome mixed = evolution(List.of()).decide(source(ID, A30, NOTE), List.of(), List.of(), evolveKeepingDrops);
        assertThat(mixed.targetChanges()).as("the drop is lenient: b stays; the add and the widening evolve")
                .containsExactly(new SchemaChange.AddColumn(NOTE), new SchemaChange.ModifyColumn(A, A30));
        assertThat(mixed.newTarget().columnNames()).containsExactly("id", "a", "b", "note");
        assertThat(mixed.newSource()).isEqualTo(source(ID, A30, NOTE));

        SchemaChangeRules evolveIgnoringAdds = new SchemaChangeRules(SchemaChangePolicy.EVOLVE,
                Map.of(SchemaChangeKind.ADD_COLUMN, SchemaChangePolicy.IGNORE));
        TargetEvolution.Outcome notAdded = evolution(List.of()).decide(source(ID, A, NOTE), List.of(), List.of(), evolveIgnoringAdds);
        assertThat(notAdded.targetChanges()).as("the drop evolves, the ignored add is not written").containsExactly(new SchemaChange.DropColumn("b"));
        assertThat(notAdded.newSource()).as("note is not taken in, so it is not written").isEqualTo(source(ID, A));

        SchemaChangeRules lenientFailingAdds = new SchemaChangeRules(SchemaChangePolicy.LENIENT,
                Map.of(SchemaChangeKind.ADD_COLUMN, SchemaChangePolicy.FAIL));
        assertThat(evolution(List.of()).decide(source(ID, A30, B), List.of(), List.of(), lenientFailingAdds).targetChanges())
                .containsExactly(new SchemaChange.ModifyColumn(A, A30));
        assertThatThrownBy(() -> evolution(List.of()).decide(source(ID, A, B, NOTE), List.of(), List.of(), lenientFailingAdds))
                .hasMessage("schema change on shop.t: ADD COLUMN note varchar(40); the pipeline's schema-change policy for "
                        + "add_column is fail, so the job stops (choose schemaChange(\"add_column\", \"lenient\"), \"evolve\" or "
                        + "\"ignore\" to let it continue)");

        SchemaChangeRules lenientEvolvingRenames = new SchemaChangeRules(SchemaChangePolicy.LENIENT,
                Map.of(SchemaChangeKind.RENAME_COLUMN, SchemaChangePolicy.EVOLVE));
        assertThat(evolution(List.of()).decide(source(ID, A, BEE), List.of(), List.of(), lenientEvolvingRenames).targetChanges())
                .containsExactly(new SchemaChange.RenameColumn("b", "bee"));
    }
}
