package io.tapflow.flink.job;

import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.flink.schema.SchemaChange;

/** The kind of a column change, and the one wording of a job stopped by a kind's fail policy. */
final class SchemaChangeKinds {
    private SchemaChangeKinds() {}

    static SchemaChangeKind of(SchemaChange change) {
        if (change instanceof SchemaChange.AddColumn) {
            return SchemaChangeKind.ADD_COLUMN;
        }
        if (change instanceof SchemaChange.DropColumn) {
            return SchemaChangeKind.DROP_COLUMN;
        }
        return change instanceof SchemaChange.RenameColumn ? SchemaChangeKind.RENAME_COLUMN : SchemaChangeKind.MODIFY_COLUMN;
    }

    /** Whether the kind's policy is fail. */
    static boolean fails(SchemaChangeRules rules, SchemaChangeKind kind) {
        return rules.policyFor(kind) == SchemaChangePolicy.FAIL;
    }

    /** What follows "schema change on t: DDL" when the kind's policy stops the job, naming the setting to change. */
    static String failClause(SchemaChangeRules rules, SchemaChangeKind kind) {
        return rules.overrides().containsKey(kind)
                ? "; the pipeline's schema-change policy for " + kind.text() + " is fail, so the job stops (choose "
                + "schemaChange(\"" + kind.text() + "\", \"lenient\"), \"evolve\" or \"ignore\" to let it continue)"
                : "; the pipeline's schema-change policy is fail, so the job stops (choose "
                + "schemaChanges(\"lenient\"), \"evolve\" or \"ignore\" to let it continue)";
    }
}
