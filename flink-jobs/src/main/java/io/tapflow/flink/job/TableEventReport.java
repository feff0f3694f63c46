package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.UnappliedTruncate;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.schema.TruncateScope;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a dropped or truncated source table of the pipeline. The target table of a dropped one is left as it is
 * under every policy (fail stops the job): it may hold more than the source table did (a union, or rows kept on
 * purpose), and dropping it cannot be undone. A TRUNCATE goes on to the sink, which empties the target table, under
 * evolve when the target can and the table is its only writer; otherwise it is reported and not applied. In a
 * pipeline with lookups it also goes through the lookups, which forget the table's rows on its way to the sink; a
 * looked-up table's TRUNCATE goes only there, and its rows leave the documents that embed them.
 */
final class TableEventReport {
    // The follower's logger: `tapflow logs` and the tests find schema changes under its name.
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeFollower.class);

    private final SchemaChangeRules rules;
    private final DataSource target;
    /** Target tables written by more than one source table (of any source), with their writers. */
    private final Map<String, Set<String>> sharedTargets;
    private final List<Step> steps;
    /** Whether the pipeline looks tables up: its target rows are assembled from several tables' rows. */
    private final boolean lookups;
    private final String prefix;

    TableEventReport(SchemaChangeRules rules, DataSource target, Map<String, Set<String>> sharedTargets,
                     List<Step> steps, String logPrefix) {
        this.rules = rules;
        this.steps = steps;
        this.lookups = !LookupTables.all(steps).isEmpty();
        this.target = target;
        this.sharedTargets = sharedTargets;
        this.prefix = logPrefix;
    }

    /**
     * Reports the table event of a followed table, passing an applicable TRUNCATE on to the sink.
     *
     * @param known every table the follower knows, to tell whether the target table has other writers
     */
    void report(ChangeEvent event, TargetEvolution table, Collection<TargetEvolution> known, Collector<ChangeEvent> out) {
        String name = event.table();
        String ddl = ddl(event);
        failUnderFail(name, ddl, kind(event), "");
        if (event.op() == Op.TRUNCATE && rules.policyFor(SchemaChangeKind.TRUNCATE) == SchemaChangePolicy.EVOLVE) {
            Set<String> writers = writers(name, table.target(), known);
            String unapplied = UnappliedTruncate.why(event);
            UnionTruncation.Decision decision = unapplied != null ? new UnionTruncation.Decision(null, unapplied)
                    : truncation(name, table.target(), writers);
            String targetName = table.target().name();
            SinkFactory sink = ConnectorFactories.sink(target.type());
            LOG.info("{}schema change on {}: TRUNCATE -> target: {} (policy evolve)", prefix, name, decision.refusal() != null
                    ? targetName + " keeps its rows (" + decision.refusal() + ")"
                    : sink.writesTruncate() && writers.size() > 1 ? sink.truncateEffect(target, targetName) + ", naming "
                    + name + (decision.scope().wholeTable() ? "" : " (" + decision.scope().field() + " '"
                    + decision.scope().value() + "')") + "; other source tables write " + targetName + " too: a consumer "
                    + "forgets only the rows of " + name
                    : !decision.scope().wholeTable() ? decision.scope().describe(targetName) + " deleted (other source tables "
                    + "write " + targetName + " too; their rows stay)"
                    : sink.truncateEffect(target, targetName) + (lookups ? ", and the lookup state of its rows cleared" : ""));
            if (decision.refusal() == null) {
                out.collect(TargetSchemaChanges.truncate(event, targetName, decision.scope()));
            }
            return;
        }
        LOG.info("{}schema change on {}: {} -> target: {} (policy {})", prefix, name, ddl, table.target().name()
                + (event.op() == Op.DROP_TABLE ? " left as it is" : " keeps its rows (a TRUNCATE is reported, not applied)"),
                rules.policyFor(kind(event)).text());
    }

    /**
     * Reports the table event of a table read only to be looked up. Its rows are embedded in the target's rows, which
     * hold the lookup state's picture of it. A DROP TABLE does not change them (fail stops the job); a TRUNCATE under
     * evolve goes on to the lookups, which take its rows out of every document that embeds them.
     */
    void reportLookedUp(ChangeEvent event, Collector<ChangeEvent> out) {
        String ddl = ddl(event);
        failUnderFail(event.table(), ddl, kind(event), " (looked up)");
        if (event.op() == Op.TRUNCATE && rules.policyFor(SchemaChangeKind.TRUNCATE) == SchemaChangePolicy.EVOLVE) {
            LOG.info("{}schema change on {} (looked up): TRUNCATE -> target: its rows leave every document that embeds "
                    + "them (an object becomes null, array elements go) (policy evolve)", prefix, event.table());
            out.collect(event);
            return;
        }
        LOG.info("{}schema change on {} (looked up): {} -> target: embedded rows kept (a {} of a looked-up table is "
                + "reported, not applied) (policy {})", prefix, event.table(), ddl, ddl, rules.policyFor(kind(event)).text());
    }

    private static String ddl(ChangeEvent event) {
        return event.op() == Op.DROP_TABLE ? "DROP TABLE" : "TRUNCATE";
    }

    private static SchemaChangeKind kind(ChangeEvent event) {
        return event.op() == Op.DROP_TABLE ? SchemaChangeKind.DROP_TABLE : SchemaChangeKind.TRUNCATE;
    }

    private void failUnderFail(String name, String ddl, SchemaChangeKind kind, String role) {
        if (SchemaChangeKinds.fails(rules, kind)) {
            String message = "schema change on " + name + role + ": " + ddl + SchemaChangeKinds.failClause(rules, kind);
            LOG.error("{}{}", prefix, message);
            throw JobFailures.rowFailure("following a schema change of " + name, new TapflowException(message));
        }
    }

    /** Every source table that writes the target table of {@code table}, {@code table} included. */
    private Set<String> writers(String table, TargetTable targetTable, Collection<TargetEvolution> known) {
        Set<String> writers = new TreeSet<>(sharedTargets.getOrDefault(targetTable.name(), Set.of()));
        known.stream().filter(t -> t.target().name().equals(targetTable.name())).forEach(t -> writers.add(t.source().qualifiedName()));
        writers.add(table);
        return writers;
    }

    /** Which target rows a TRUNCATE of {@code table} deletes under evolve, or why none. */
    private UnionTruncation.Decision truncation(String table, TargetTable targetTable, Set<String> writers) {
        SinkFactory sink = ConnectorFactories.sink(target.type());
        String refusal = sink.truncateRefusal(target);
        if (refusal != null) {
            return new UnionTruncation.Decision(null, refusal);
        }
        if (writers.size() == 1) {
            return new UnionTruncation.Decision(TruncateScope.WHOLE_TABLE, null);
        }
        if (lookups) {
            // Lookup state holds whole target rows.
            return new UnionTruncation.Decision(null, "other source tables write it too, and their rows would go with this one's");
        }
        if (sink.truncateNamesSourceTable(target)) {
            // The message says which source table it is about, as the messages of its rows do.
            return new UnionTruncation.Decision(TruncateScope.WHOLE_TABLE, null);
        }
        return UnionTruncation.decide(steps, targetTable, table, writers);
    }
}
