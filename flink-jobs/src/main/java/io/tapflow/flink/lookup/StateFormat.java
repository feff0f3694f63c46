package io.tapflow.flink.lookup;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * Which layout of keyed state a lookup operator holds, kept in its operator state. Format 2 added per-key state that
 * a job restored from a format-1 savepoint does not have for the keys it already holds: such a job stays in
 * {@link #legacy} mode, where a missing value means "not known yet" rather than "none". The list is a union list, so
 * that after a change of parallelism every subtask still sees whether any part of the state is legacy. An operator that
 * leaves per-key state out on purpose ({@link LookupJoin}'s snapshot rows) writes its state as legacy too.
 */
final class StateFormat {
    private static final int CURRENT = 2;
    private final ListState<Integer> state;
    private final boolean legacy;

    private StateFormat(ListState<Integer> state, boolean legacy) {
        this.state = state;
        this.legacy = legacy;
    }

    static StateFormat initialize(FunctionInitializationContext context) throws Exception {
        return initialize(context, false);
    }

    /** @param leavesKeysOut whether this operator itself leaves per-key state out, as legacy state lacks it */
    static StateFormat initialize(FunctionInitializationContext context, boolean leavesKeysOut) throws Exception {
        ListState<Integer> state = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("state-format", Types.INT));
        boolean legacy = false;
        if (context.isRestored()) {
            boolean any = false;
            for (Integer format : state.get()) {
                any = true;
                legacy |= format < CURRENT;
            }
            legacy |= !any;
        }
        return new StateFormat(state, legacy || leavesKeysOut);
    }

    /** Whether the keyed state may hold keys written before the current format. */
    boolean legacy() {
        return legacy;
    }

    void snapshot() throws Exception {
        state.update(List.of(legacy ? 1 : CURRENT));
    }
}
