package io.tapflow.flink.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Works out a {@link PipelineExplanation}: inspects the sources and plans the target tables as {@link JobPlanner#inspect}
 * does (so it reports the same problems), and reads which target tables exist; it creates nothing.
 */
public final class PipelineExplainer {
    private PipelineExplainer() {}

    public static PipelineExplanation explain(JobSpec spec) {
        JobPlan plan = JobPlanner.inspect(spec);
        Pipeline pipeline = spec.pipeline();
        SinkFactory sink = ConnectorFactories.sink(plan.target().type());
        Set<String> existing = new HashSet<>(sink.listTables(plan.target()));
        List<PipelineExplanation.SourceExplanation> sources = new ArrayList<>();
        List<PipelineExplanation.TableExplanation> tables = new ArrayList<>();
        for (int i = 0; i < plan.sources().size(); i++) {
            JobPlan.Source source = plan.sources().get(i);
            SourceSpec s = pipeline.sources().get(i);
            List<TableSchema> schemas = source.tables().tables();
            sources.add(new PipelineExplanation.SourceExplanation(s.datasource(), source.datasource().type(), s.tables(),
                    s.include(), s.exclude(), schemas.stream().map(TableSchema::qualifiedName).toList()));
            for (TableSchema schema : schemas) {
                tables.add(table(pipeline, source.datasource(), schema, plan, sink, existing));
            }
        }
        return new PipelineExplanation(pipeline.name(), sources, plan.target().name(), plan.target().type(), tables,
                LookupExplainer.explain(spec, plan.target().type()), pipeline.settings().schemaChangeRules().describe(),
                SchemaChangeEffects.of(plan, sink));
    }

    private static PipelineExplanation.TableExplanation table(Pipeline pipeline, DataSource ds, TableSchema schema, JobPlan plan,
                                                              SinkFactory sink, Set<String> existing) {
        TargetTable target = plan.targetTables().stream().filter(t -> t.sourceTable().equals(schema.qualifiedName()))
                .findFirst().orElseThrow();
        List<String> keyOverride = pipeline.target().key();
        List<PipelineExplanation.StepColumns> steps = TargetColumns.trace(pipeline.steps(), schema, keyOverride);
        boolean exists = existing.contains(target.name());
        return new PipelineExplanation.TableExplanation(ds.name(), schema.qualifiedName(),
                keyOverride.isEmpty() ? schema.primaryKey() : keyOverride,
                schema.columns().stream().map(c -> new PipelineExplanation.SourceColumn(c.name(), c.columnType(), c.nullable())).toList(),
                steps, target.name(), exists, exists ? null : sink.createStatement(plan.target(), target));
    }

    /** A step's kind as the JSON form names it ("rename_fields"). */
    static String kind(Step step) {
        return java.util.Arrays.stream(Step.class.getAnnotation(JsonSubTypes.class).value())
                .filter(t -> t.value() == step.getClass()).findFirst().map(JsonSubTypes.Type::name)
                .orElse(step.getClass().getSimpleName());
    }
}
