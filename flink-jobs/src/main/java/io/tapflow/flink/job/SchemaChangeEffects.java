package io.tapflow.flink.job;

import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What each kind of schema change in a source table does to a pipeline's target under its schema-change policy, as
 * {@link SchemaChangeFollower} and the sinks do it; for {@code tapflow explain}.
 */
final class SchemaChangeEffects {
    private SchemaChangeEffects() {}

    static List<PipelineExplanation.SchemaChangeEffect> of(JobPlan plan, SinkFactory sink) {
        SchemaChangePolicy policy = plan.pipeline().settings().schemaChanges();
        boolean followed = plan.sources().stream().allMatch(s -> ConnectorFactories.source(s.datasource().type()).followsSchemaChanges());
        boolean schemaless = sink.acceptsUnplannedFields();
        boolean include = plan.pipeline().steps().stream().anyMatch(s -> s instanceof Step.IncludeFields);
        List<PipelineExplanation.SchemaChangeEffect> out = new ArrayList<>();
        if (!followed) {
            out.add(effect("any column change", "not followed: this source's columns are fixed when the job is planned"));
        } else if (policy == SchemaChangePolicy.FAIL) {
            out.add(effect("any column change", "the job stops with a message naming the change (policy fail)"));
        } else if (policy == SchemaChangePolicy.IGNORE) {
            out.add(effect("any column change", "the target is left as it is; new columns are not written, a dropped "
                    + "column's target values are " + (schemaless ? "absent" : "NULL") + " from then on (policy ignore)"));
        } else {
            boolean evolve = policy == SchemaChangePolicy.EVOLVE;
            String ddl = schemaless ? "no DDL (documents take the new shape)" : "ALTER TABLE ... ";
            out.add(effect("ADD COLUMN", (include ? "not written (the include step keeps its list); without it: " : "")
                    + (schemaless ? "written into documents from then on; documents that existed get the source's DEFAULT "
                    + "when it is a constant" : ddl + "ADD COLUMN (nullable; existing target rows "
                    + "get the source's DEFAULT when it is a constant, else NULL)")));
            out.add(effect("DROP COLUMN", evolve ? (schemaless ? "the field leaves every document ($unset)" : ddl + "DROP COLUMN")
                    : "the target column stays, " + (schemaless ? "absent from documents" : "written NULL") + " from then on"));
            out.add(effect("RENAME COLUMN", (evolve ? (schemaless ? "the field is renamed in every document ($rename)" : ddl + "RENAME COLUMN")
                    : "the new name is added as a column; the old one stays, NULL from then on")
                    + "; seen as a rename when one column of a type goes and one of the same type comes at its position"));
            out.add(effect("MODIFY (type)", schemaless ? "values are written as they come"
                    : ddl + "ALTER/MODIFY COLUMN to the new type's mapping"));
            out.add(effect("a step naming a changed column", "the job stops, naming the step and the change"));
        }
        out.add(effect("CREATE TABLE", createTable(plan, policy)));
        out.add(effect("DROP TABLE", policy == SchemaChangePolicy.FAIL ? "the job stops (policy fail)"
                : "reported (MySQL/MariaDB sources from the binlog; PostgreSQL sources from a poll of the catalog); "
                + "the target table is left as it is"));
        out.add(effect("TRUNCATE", truncate(plan, sink, policy)));
        return out;
    }

    private static String createTable(JobPlan plan, SchemaChangePolicy policy) {
        if (plan.pipeline().sources().stream().noneMatch(s -> s.hasPatterns())) {
            return "not read: the pipeline names its tables";
        }
        if (policy == SchemaChangePolicy.FAIL || policy == SchemaChangePolicy.IGNORE) {
            return policy == SchemaChangePolicy.FAIL ? "a table matching the patterns stops the job (policy fail)"
                    : "a table matching the patterns is reported, not read (policy ignore)";
        }
        List<String> limits = plan.sources().stream().filter(s -> s.tables().newTablesLimit() != null)
                .map(s -> "source '" + s.datasource().name() + "': " + s.tables().newTablesLimit()).toList();
        return "a table matching the patterns is read from its creation on, into its target table, created when missing "
                + "(a table a resumed job meets first is also snapshotted)" + (limits.isEmpty() ? "" : "; " + String.join("; ", limits));
    }

    private static String truncate(JobPlan plan, SinkFactory sink, SchemaChangePolicy policy) {
        if (policy == SchemaChangePolicy.FAIL) {
            return "the job stops (policy fail)";
        }
        if (policy != SchemaChangePolicy.EVOLVE) {
            return "reported, not applied: the target keeps its rows";
        }
        boolean lookups = !LookupTables.all(plan.pipeline().steps()).isEmpty();
        String refusal = sink.truncateRefusal(plan.target());
        String own = refusal != null ? "reported, not applied: " + refusal
                : !sink.appliesTruncate() ? sink.truncateEffect(plan.target(), "the target table") + " (at parallelism > 1 "
                + "once every sink subtask has written the rows before it); where other source tables write it too (a union), "
                + (sink.truncateNamesSourceTable(plan.target()) ? "the message names the truncated source table"
                : "the message carries the rows' field computed from table alone that holds the source table, else it is "
                + "reported, not applied")
                : "every row of the target table is deleted after the rows before the TRUNCATE are written (at parallelism "
                + "> 1 once every sink subtask has written them)" + (lookups ? ", and the lookup state of its rows cleared" : "")
                + "; where other source tables write it too (a union), only the truncated table's rows, when a string "
                + "field computed from table alone holds the source table (addField(\"source_table\", expression(\"table\", "
                + "FieldType.STRING))), else reported, not applied";
        if (plan.sources().stream().anyMatch(s -> ConnectorFactories.source(s.datasource().type()).readsTruncates())) {
            own += "; a Kafka source's truncate message is a TRUNCATE of its topic's table in a topic of one partition, "
                    + "and reported, not applied, in a topic of several (no one position for it)";
        }
        return lookups ? own + "; a looked-up table's TRUNCATE takes its rows out of every document (objects null, array "
                + "elements gone)" : own;
    }

    private static PipelineExplanation.SchemaChangeEffect effect(String change, String effect) {
        return new PipelineExplanation.SchemaChangeEffect(change, effect);
    }
}
