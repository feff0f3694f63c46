package io.tapflow.flink.job;

import io.tapflow.dsl.ConnectorType;
import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The lookups part of a {@link PipelineExplanation}: inspects each looked-up table on its source (as planning does a
 * source table), follows its columns through the lookup's own steps, and says what the lookup adds to the target: one
 * column per embedded object or array (jsonb in PostgreSQL, json in MySQL, a nested document in MongoDB, an object
 * field in Elasticsearch, part of the message in Kafka) or, flattened, one column per looked-up column under the
 * prefix, typed as the looked-up table declares it.
 */
final class LookupExplainer {
    private final JobSpec spec;
    private final String targetType;
    private final List<PipelineExplanation.LookupExplanation> out = new ArrayList<>();

    private LookupExplainer(JobSpec spec, String targetType) {
        this.spec = spec;
        this.targetType = targetType;
    }

    static List<PipelineExplanation.LookupExplanation> explain(JobSpec spec, String targetType) {
        LookupExplainer e = new LookupExplainer(spec, targetType);
        e.lookups(spec.pipeline().steps(), "", "", true);
        return e.out;
    }

    /**
     * @param top whether these steps shape the target row (the pipeline's own, or a flattened lookup's): then their
     *            lookups add target columns, named with {@code prefix}
     */
    private void lookups(List<Step> steps, String enclosing, String prefix, boolean top) {
        for (Step step : steps) {
            if (step instanceof Step.Lookup l) {
                explain(l, enclosing, prefix, top);
            }
        }
    }

    private void explain(Step.Lookup l, String enclosing, String prefix, boolean top) {
        DataSource ds = spec.datasource(l.datasource()).resolved();
        TableSchema schema = ConnectorFactories.source(ds.type()).inspect(ds, List.of(l.table()), List.of()).tables().get(0);
        String shape = l.flattenPrefix() != null ? "flattened" : l.many() ? "array" : "object";
        String name = l.as() != null ? l.as() : "(flattened '" + l.flattenPrefix() + "')";
        String path = enclosing.isEmpty() ? name : enclosing + "." + name;
        List<PipelineExplanation.TargetColumn> columns = new ArrayList<>();
        if (top && l.as() != null) {
            columns.add(new PipelineExplanation.TargetColumn(prefix + l.as(), embedded(l.many())));
        } else if (top) {
            // The looked-up rows' own embedding lookups are explained (and their columns added) on their own below.
            List<String> embeddedHere = l.steps().stream().filter(s -> s instanceof Step.Lookup n && n.as() != null)
                    .map(s -> ((Step.Lookup) s).as()).toList();
            TargetTable rows = TargetColumns.plan(l.steps(), schema, List.of(), l.table(), new ArrayList<>());
            rows.columns().stream().filter(c -> !embeddedHere.contains(c.name())).forEach(c -> columns.add(
                    new PipelineExplanation.TargetColumn(prefix + l.flattenPrefix() + c.name(), c.columnType())));
        }
        out.add(new PipelineExplanation.LookupExplanation(path, l.datasource(), schema.qualifiedName(), schema.primaryKey(),
                l.on().stream().map(j -> new PipelineExplanation.Join(j.parent(), j.child())).toList(), shape,
                l.many() ? (l.arrayKey().isEmpty() ? schema.primaryKey() : l.arrayKey()) : List.of(),
                TargetColumns.trace(l.steps(), schema, List.of()), columns));
        // A nested lookup lives in the rows of this one; flattened, those rows are the parent row itself.
        lookups(l.steps(), l.as() != null ? path : enclosing, l.as() != null ? "" : prefix + l.flattenPrefix(), top && l.as() == null);
    }

    /** How the target holds an embedded object or array. */
    private String embedded(boolean many) {
        ConnectorType type = ConnectorTypes.get(targetType);
        if (type == ConnectorTypes.POSTGRES) {
            return "jsonb";
        }
        if (type == ConnectorTypes.MYSQL) {
            return "json";
        }
        if (type == ConnectorTypes.MONGODB) {
            return many ? "array of embedded documents" : "embedded document";
        }
        if (type == ConnectorTypes.ELASTICSEARCH) {
            return many ? "object field (an array of objects)" : "object field";
        }
        return many ? "array in the message" : "object in the message";
    }
}
