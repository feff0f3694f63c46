package io.tapflow.flink.verify;

import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tapflow verify}: compares every target table of a pipeline with what the pipeline should have written there
 * (the source rows run through its steps by the job's own code), then checks the differences again after the
 * pipeline's lag, and repairs the lasting ones if asked. Nothing is created or changed on any server unless repairing.
 */
public final class Verifier {
    /** Re-checks of a difference whose source row keeps changing, before it is reported as changing. */
    static final int RECHECK_ROUNDS = 3;
    private final JobSpec spec;
    private final VerifyOptions options;

    private Verifier(JobSpec spec, VerifyOptions options) {
        this.spec = spec;
        this.options = options;
    }

    public static VerifyReport verify(JobSpec spec, VerifyOptions options) {
        return new Verifier(spec, options).run();
    }

    private VerifyReport run() {
        if (spec.pipeline().sources().stream().anyMatch(SourceSpec::hasQuery)) {
            throw new TapflowException("pipeline '" + spec.pipeline().name() + "' reads a query, once; tapflow verify "
                    + "compares source tables with their target tables, not query results");
        }
        JobPlan plan = JobPlanner.inspect(spec);
        Pipeline pipeline = plan.pipeline();
        SinkFactory sink = ConnectorFactories.sink(plan.target().type());
        try (VerifyTables verifyTables = VerifyTables.open(plan, options)) {
            List<TableComparison> tables = verifyTables.all();
            for (TableComparison t : tables) {
                switch (options.mode()) {
                    case COUNT -> t.countOnly(stepsChangeRowCount(pipeline));
                    case HASH -> HashComparison.compare(t, pipeline, verifyTables.target());
                    case ROWS -> t.compareAll(null);
                }
            }
            return new VerifyReport(pipeline.name(), plan.target().name(), options.mode(), finish(tables, plan, sink));
        }
    }

    /**
     * Re-checks after the lag (up to {@link #RECHECK_ROUNDS} times for rows whose source changed meanwhile) and
     * repairs, table by table; count mode has neither.
     */
    private List<TableReport> finish(List<TableComparison> tables, JobPlan plan, SinkFactory sink) {
        List<TableReport> reports = new ArrayList<>();
        if (options.mode() != VerifyMode.COUNT && tables.stream().anyMatch(t -> !t.kept().isEmpty())) {
            tables.forEach(TableComparison::startRecheck);
            for (int round = 0; round < RECHECK_ROUNDS && tables.stream().anyMatch(TableComparison::recheckPending); round++) {
                options.lagWait().run();
                tables.forEach(TableComparison::recheckRound);
            }
            tables.forEach(TableComparison::finishRecheck);
        }
        for (TableComparison t : tables) {
            reports.add(t.report(options.repair() && options.mode() != VerifyMode.COUNT ? repair(t, plan, sink) : null));
        }
        return reports;
    }

    private TableReport.RepairReport repair(TableComparison t, JobPlan plan, SinkFactory sink) {
        List<ChangeEvent> changes = Repair.changes(t.kept(), t.table().sourceTable());
        long deletes = changes.stream().filter(c -> c.after() == null).count();
        List<String> actions = changes.stream().limit(options.examples()).map(Repair::describe).toList();
        if (options.dryRun() || changes.isEmpty()) {
            return new TableReport.RepairReport(options.dryRun(), changes.size() - deletes, deletes, t.kept().size(), actions);
        }
        try {
            Repair.write(sink.createWriter(plan.target(), plan.targetTables()), changes);
        } catch (IOException e) {
            throw new TapflowException("repair of table " + t.table().name() + " failed: " + e.getMessage(), e);
        }
        return new TableReport.RepairReport(false, changes.size() - deletes, deletes, t.stillDifferent(), actions);
    }

    /** Whether the steps may drop or add rows, so counting needs the source rows run through them. */
    private static boolean stepsChangeRowCount(Pipeline pipeline) {
        return pipeline.steps().stream().anyMatch(s -> s instanceof Step.Filter || s instanceof Step.Unwind
                || s instanceof Step.JsUdf || s instanceof Step.PyUdf);
    }

}
