package io.tapflow.flink.job;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TargetTableLookup;
import io.tapflow.flink.sink.RowKey;
import java.util.List;
import io.tapflow.flink.schema.TargetSchemaChanges;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Before changes are routed by target key to parallel sink subtasks, an update that moves a row to another target
 * key becomes a delete of the old key and an insert of the new one. Each then travels with the other changes of its
 * own key, so a later change to the old key cannot overtake the delete on another subtask. (The source already splits
 * primary-key changes this way; this covers pipeline keys that are not the primary key.) A target column to drop or
 * rename, and a TRUNCATE that empties the target table, is copied here to every sink subtask ({@link SchemaChangeBarrier}).
 */
final class KeyMoveSplitter extends RichFlatMapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final TargetTableLookup targets;
    /** A key routed to each sink subtask, by subtask index; empty where no keyed exchange follows. */
    private transient String[] routeKeys;

    KeyMoveSplitter(TargetTableLookup targets) {
        this.targets = targets;
    }

    @Override
    public void open(OpenContext context) {
        // The sink runs at this operator's parallelism, and so gets the same maximum parallelism (key groups).
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        routeKeys = parallelism == 1 ? new String[0]
                : SchemaChangeBarrier.routeKeys(getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(), parallelism);
    }

    @Override
    public void flatMap(ChangeEvent event, Collector<ChangeEvent> out) {
        if (TargetSchemaChanges.inOrder(event) && routeKeys.length > 0) {
            for (int subtask = 0; subtask < routeKeys.length; subtask++) {
                out.collect(TargetSchemaChanges.copyFor(event, subtask, routeKeys[subtask]));
            }
            return;
        }
        if (event.op() == Op.UPDATE && event.before() != null) {
            List<String> key = targets.of(event.table()).keyFields();
            if (!RowKey.of(key, event.before(), event.table()).equals(RowKey.of(key, event.after(), event.table()))) {
                out.collect(new ChangeEvent(Op.DELETE, event.table(), event.key(), event.before(), null, event.sourceTsMs()));
                out.collect(new ChangeEvent(Op.INSERT, event.table(), event.key(), null, event.after(), event.sourceTsMs()));
                return;
            }
        }
        out.collect(event);
    }
}
