package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.SubtaskRouteKeys;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the rows of some tables on their way to a lookup's router, and their TRUNCATEs, which the schema-change
 * follower lets through only where the lookups follow them (policy evolve). A TRUNCATE is copied for every router
 * subtask, each of which holds part of the table's rows ({@link TableTruncation#copies}). Other table events (a
 * dropped table, a target column to drop or rename) stay out of lookups: the follower has reported or made them.
 */
public final class LookupTableRows extends RichFlatMapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final Set<String> tables;
    /** A key routed to each router subtask. */
    private transient String[] routerSubtasks;

    public LookupTableRows(Set<String> tables) {
        this.tables = Set.copyOf(tables);
    }

    @Override
    public void open(OpenContext context) {
        // The router runs at this operator's parallelism, and so gets the same maximum parallelism (key groups).
        routerSubtasks = SubtaskRouteKeys.of(getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    }

    @Override
    public void flatMap(ChangeEvent event, Collector<ChangeEvent> out) {
        if (!tables.contains(event.table())) {
            return;
        }
        if (event.op() == Op.TRUNCATE) {
            TableTruncation.copies(event, routerSubtasks, System.currentTimeMillis()).forEach(out::collect);
        } else if (!event.op().isTableEvent()) {
            out.collect(event);
        }
    }
}
