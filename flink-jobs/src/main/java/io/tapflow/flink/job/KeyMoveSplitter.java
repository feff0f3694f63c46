package io.tapflow.flink.job;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TargetTableLookup;
import io.tapflow.flink.sink.RowKey;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Before changes are routed by target key to parallel sink subtasks, an update that moves a row to another target
 * key becomes a delete of the old key and an insert of the new one. Each then travels with the other changes of its
 * own key, so a later change to the old key cannot overtake the delete on another subtask. (The source already splits
 * primary-key changes this way; this covers pipeline keys that are not the primary key.)
 */
final class KeyMoveSplitter implements FlatMapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final TargetTableLookup targets;

    KeyMoveSplitter(TargetTableLookup targets) {
        this.targets = targets;
    }

    @Override
    public void flatMap(ChangeEvent event, Collector<ChangeEvent> out) {
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
