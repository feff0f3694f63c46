package io.tapflow.flink.job;

import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.step.RowSteps;
import java.util.ArrayList;
import java.util.List;

/**
 * What each kind of schema change in a source table does to a pipeline's target, as tapflow is today: schema changes
 * are not yet applied to targets (no schema-change policy exists yet), so this says plainly what happens instead.
 * Debezium follows the DDL in the MySQL binlog and PostgreSQL's relation messages, so rows arrive in the new shape.
 */
final class SchemaChangeEffects {
    private SchemaChangeEffects() {}

    static List<PipelineExplanation.SchemaChangeEffect> of(JobPlan plan, SinkFactory sink) {
        boolean schemaless = sink.acceptsUnplannedFields();
        boolean udf = RowSteps.hasUdf(plan.pipeline().steps());
        boolean include = plan.pipeline().steps().stream().anyMatch(s -> s instanceof Step.IncludeFields);
        List<PipelineExplanation.SchemaChangeEffect> out = new ArrayList<>();
        String added = include ? "not written where an include step leaves it out (include lists stay as they are); otherwise: " : "";
        out.add(effect("ADD COLUMN", added + (schemaless
                ? "the new field is written into the documents written from then on (no DDL needed)"
                : udf ? "the target table is not altered: rows with the new field fail at step 'planned-columns' "
                        + "(the field has no column in the target table), under the pipeline's error policy"
                      : "the target table is not altered and the new column's values are NOT written (not yet applied)")));
        out.add(effect("DROP COLUMN", schemaless
                ? "documents written from then on lack the field; earlier documents keep it"
                : "the target column stays and is written NULL from then on"));
        out.add(effect("RENAME COLUMN", "arrives as DROP COLUMN of the old name plus ADD COLUMN of the new one (see both); "
                + "a step naming the old name no longer finds it"));
        out.add(effect("MODIFY (wider type)", schemaless
                ? "values are written as they come"
                : "the target column keeps its type: a value that does not fit fails the write, and the job stops"));
        out.add(effect("CREATE TABLE", "not picked up while the job runs: tables are matched when the pipeline is planned"));
        out.add(effect("DROP TABLE", "not reported; the target table is left as it is"));
        out.add(effect("TRUNCATE", "not applied: the target keeps its rows"));
        return out;
    }

    private static PipelineExplanation.SchemaChangeEffect effect(String change, String effect) {
        return new PipelineExplanation.SchemaChangeEffect(change, effect);
    }
}
