package io.tapflow.flink.event;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Keys that a keyed exchange sends to each subtask in turn: a copy of an event routed by one of them reaches exactly
 * that subtask (the schema-change barrier's copies of a column change, a lookup's copies of a TRUNCATE).
 */
public final class SubtaskRouteKeys {
    private static final String ROUTE_KEY_PREFIX = "schema-change#";

    private SubtaskRouteKeys() {}

    /**
     * For each subtask index of an operator of {@code parallelism} subtasks (and that maximum parallelism) after a
     * keyed exchange, a String key that the exchange sends to it.
     */
    public static String[] of(int maxParallelism, int parallelism) {
        String[] keys = new String[parallelism];
        int found = 0;
        for (int n = 0; found < parallelism; n++) {
            String key = ROUTE_KEY_PREFIX + n;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
            if (keys[subtask] == null) {
                keys[subtask] = key;
                found++;
            }
        }
        return keys;
    }
}
