package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in a table the job did not know: created while it runs (or while it was stopped), and selected by the
 * pipeline's patterns (the change reader may capture more: the patterns' exclusions are applied here). Under lenient
 * and evolve its target table is created when missing and its rows go there from then on; under ignore it is reported
 * and passed over; under fail the job stops.
 */
final class NewTableAdmission {
    // The follower's logger: `tapflow logs` and the tests find schema changes under its name.
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeFollower.class);

    private final PatternTables newTables;
    private final SchemaChangeRules rules;
    /** The policy for a CREATE TABLE. */
    private final SchemaChangePolicy policy;
    private final DataSource source;
    private final DataSource target;
    private final SinkContext targetContext;
    private final String prefix;
    /** Tables of the source this job does not follow: not selected, or new while the policy is ignore. */
    private final Set<String> passedOver = new HashSet<>();

    NewTableAdmission(PatternTables newTables, SchemaChangeRules rules, DataSource source, DataSource target,
                      SinkContext targetContext, String logPrefix) {
        this.newTables = newTables;
        this.rules = rules;
        this.policy = rules.policyFor(SchemaChangeKind.CREATE_TABLE);
        this.source = source;
        this.target = target;
        this.targetContext = targetContext;
        this.prefix = logPrefix;
    }

    /** Whether the table was met and is not followed (not selected, or new while the policy is ignore). */
    boolean passesOver(String name) {
        return passedOver.contains(name);
    }

    /** Whether the policy lets new tables be read (lenient and evolve); under ignore and fail {@link #admit} only reports. */
    boolean readsNewTables() {
        return policy == SchemaChangePolicy.LENIENT || policy == SchemaChangePolicy.EVOLVE;
    }

    /** The table as the job follows it from now on; null for a table whose rows are not the pipeline's. */
    TargetEvolution admit(String name, Collection<TargetEvolution> known) {
        if (passedOver.contains(name)) {
            return null;
        }
        if (!newTables.selects(source, name)) {
            passedOver.add(name);
            return null;
        }
        if (policy == SchemaChangePolicy.FAIL) {
            // Named as the other changes are (schema change on t: ...), so one message format tells what stopped the job.
            String message = "schema change on " + name + ": CREATE TABLE (a new table the pipeline's table patterns "
                    + "select)" + SchemaChangeKinds.failClause(rules, SchemaChangeKind.CREATE_TABLE);
            LOG.error("{}{}", prefix, message);
            throw JobFailures.rowFailure("following a new table", new TapflowException(message));
        }
        if (policy == SchemaChangePolicy.IGNORE) {
            LOG.info("{}schema change on {}: CREATE TABLE -> target: not read (policy ignore)", prefix, name);
            passedOver.add(name);
            return null;
        }
        TargetEvolution table;
        try {
            table = newTables.plan(source, name);
            String collision = newTables.caseCollision(table, known);
            if (collision != null) {
                throw new TapflowException("new table " + name + ": " + collision);
            }
            checkSameShapeAsOthersOf(table.target(), known);
        } catch (TapflowException e) {
            LOG.error("{}{}", prefix, e.getMessage());
            throw JobFailures.rowFailure("following a new table", e);
        }
        SinkFactory sink = ConnectorFactories.sink(target.type());
        List<String> created = sink.prepare(target, List.of(table.target()), targetContext);
        LOG.info("{}schema change on {}: CREATE TABLE -> target: {} (policy {})", prefix, name, created.isEmpty()
                ? "rows go to " + table.target().name() + ", which exists"
                : describeCreation(sink, table.target()), policy.text());
        return table;
    }

    private String describeCreation(SinkFactory sink, TargetTable table) {
        String sql = sink.createStatement(target, table);
        return sql == null ? "created " + table.name() : sql.replaceAll("\\s*\n\\s*", " ");
    }

    /** Several source tables may go to one target table (a union) only with the same columns and key, as planning checks. */
    private static void checkSameShapeAsOthersOf(TargetTable table, Collection<TargetEvolution> known) {
        for (TargetEvolution other : known) {
            TargetTable existing = other.target();
            if (existing.name().equals(table.name()) && (!existing.columnNames().equals(table.columnNames())
                    || !existing.keyFields().equals(table.keyFields()))) {
                throw new TapflowException("new table " + table.sourceTable() + " goes to target table " + table.name()
                        + " with " + existing.sourceTable() + " but brings different columns or keys: " + table.columnNames()
                        + " key " + table.keyFields() + " vs " + existing.columnNames() + " key " + existing.keyFields()
                        + "; align them with include/rename steps");
            }
        }
    }
}
