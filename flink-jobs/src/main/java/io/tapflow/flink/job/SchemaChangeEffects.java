package io.tapflow.flink.job;

import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What each kind of schema change in a source table does to a pipeline's target under its schema-change policy for that kind, as
 * {@link SchemaChangeFollower} and the sinks do it; for {@code tapflow explain}.
 */
final class SchemaChangeEffects {
    private SchemaChangeEffects() {}

    static List<PipelineExplanation.SchemaChangeEffect> of(JobPlan plan, SinkFactory sink) {
        SchemaChangeRules rules = plan.pipeline().settings().schemaChangeRules();
        boolean followed = plan.sources().stream().allMatch(s -> ConnectorFactories.source(s.datasource().type()).followsSchemaChanges());
        boolean schemaless = sink.acceptsUnplannedFields();
        boolean include = plan.pipeline().steps().stream().anyMatch(s -> s instanceof Step.IncludeFields);
        List<SchemaChangeKind> columnKinds = List.of(SchemaChangeKind.ADD_COLUMN, SchemaChangeKind.DROP_COLUMN,
                SchemaChangeKind.RENAME_COLUMN, SchemaChangeKind.MODIFY_COLUMN);
        boolean overridden = columnKinds.stream().anyMatch(rules.overrides()::containsKey);
        List<PipelineExplanation.SchemaChangeEffect> out = new ArrayList<>();
        if (!followed) {
            out.add(effect("any column change", "not followed: this source's columns are fixed when the job is planned"));
        } else if (rules.base() == SchemaChangePolicy.FAIL && !overridden) {
            out.add(effect("any column change", "the job stops with a message naming the change (policy fail)"));
        } else if (rules.base() == SchemaChangePolicy.IGNORE && !overridden) {
            out.add(effect("any column change", "the target is left as it is; new columns are not written, a dropped "
                    + "column's target values are " + (schemaless ? "absent" : "NULL") + " from then on (policy ignore)"));
        } else {
            String ddl = schemaless ? "no DDL (documents take the new shape)" : "ALTER TABLE ... ";
            String nulls = schemaless ? "absent from documents" : "written NULL";
            out.add(effect("ADD COLUMN", rules, SchemaChangeKind.ADD_COLUMN, (include ? "not written (the include step keeps its list); without it: " : "")
                    + own(sink, SchemaChangeKind.ADD_COLUMN, schemaless ? "written into documents from then on; documents "
                    + "that existed get the source's DEFAULT when it is a constant" : ddl + "ADD COLUMN (nullable; existing "
                    + "target rows get the source's DEFAULT when it is a constant, else NULL)"), "not written; the target is left as it is"));
            out.add(effect("DROP COLUMN", rules, SchemaChangeKind.DROP_COLUMN,
                    rules.policyFor(SchemaChangeKind.DROP_COLUMN) == SchemaChangePolicy.EVOLVE
                    ? own(sink, SchemaChangeKind.DROP_COLUMN, schemaless ? "the field leaves every document ($unset)" : ddl + "DROP COLUMN")
                    : "the target column stays, " + nulls + " from then on", "the target column stays, " + nulls + " from then on"));
            out.add(effect("RENAME COLUMN", rules, SchemaChangeKind.RENAME_COLUMN,
                    (rules.policyFor(SchemaChangeKind.RENAME_COLUMN) == SchemaChangePolicy.EVOLVE
                    ? own(sink, SchemaChangeKind.RENAME_COLUMN, schemaless ? "the field is renamed in every document ($rename)" : ddl + "RENAME COLUMN")
                    : "the new name is added as a column; the old one stays, NULL from then on")
                    + "; seen as a rename when one column of a type goes and one of the same type comes at its position",
                    "the new name is not written; the old target column stays, " + nulls + " from then on"));
            out.add(effect("MODIFY (type)", rules, SchemaChangeKind.MODIFY_COLUMN, own(sink, SchemaChangeKind.MODIFY_COLUMN,
                    schemaless ? "values are written as they come" : ddl + "ALTER/MODIFY COLUMN to the new type's mapping"),
                    schemaless ? "values are written as they come"
                    : "the target column is not changed: a value it cannot hold is refused, naming table, column and row"));
            out.add(effect("a step naming a changed column", "the job stops, naming the step and the change"));
        }
        out.add(effect("CREATE TABLE", marked(rules, SchemaChangeKind.CREATE_TABLE,
                createTable(plan, rules.policyFor(SchemaChangeKind.CREATE_TABLE)))));
        out.add(effect("DROP TABLE", marked(rules, SchemaChangeKind.DROP_TABLE,
                rules.policyFor(SchemaChangeKind.DROP_TABLE) == SchemaChangePolicy.FAIL ? "the job stops (policy fail)"
                : "reported (MySQL/MariaDB sources from the binlog; PostgreSQL sources from a poll of the catalog); "
                + "the target table is left as it is")));
        out.add(effect("TRUNCATE", marked(rules, SchemaChangeKind.TRUNCATE,
                truncate(plan, sink, rules.policyFor(SchemaChangeKind.TRUNCATE)))));
        return out;
    }

    /** What the target says it does with a followed column change (an index's mapping, a topic's messages), else {@code usual}. */
    private static String own(SinkFactory sink, SchemaChangeKind kind, String usual) {
        String own = sink.columnChangeEffect(kind);
        return own != null ? own : usual;
    }

    /** A column change's effect under its kind's policy: {@code followed} under lenient and evolve. */
    private static PipelineExplanation.SchemaChangeEffect effect(String change, SchemaChangeRules rules, SchemaChangeKind kind,
                                                                 String followed, String ignored) {
        SchemaChangePolicy policy = rules.policyFor(kind);
        return effect(change, marked(rules, kind, policy == SchemaChangePolicy.FAIL ? "the job stops with a message naming "
                + "the change (policy fail)" : policy == SchemaChangePolicy.IGNORE ? ignored + " (policy ignore)" : followed));
    }

    /** Names the override of a kind the pipeline gives a policy of its own, so the matrix shows where it departs from the base. */
    private static String marked(SchemaChangeRules rules, SchemaChangeKind kind, String effect) {
        SchemaChangePolicy own = rules.overrides().get(kind);
        return own == null ? effect : effect + " [override " + kind.text() + ": " + own.text() + "]";
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
