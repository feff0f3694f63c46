package io.tapflow.flink.lookup;

import java.util.HashMap;
import java.util.Map;

/**
 * What a join or gate subtask knows of the TRUNCATEs it met: per table, the floor of the last one. A record of the
 * table below it comes from an upstream subtask whose copy of the TRUNCATE is still on its way, and belongs to
 * before it. Not checkpointed: every copy of a TRUNCATE comes before or after the same checkpoint barrier on each
 * channel, so a checkpoint never falls between the first and the last copy of one.
 */
final class TruncationFloors {
    private final Map<String, Long> floors = new HashMap<>();

    /** Whether this copy is the first of its TRUNCATE here (its floor is above the table's last one). */
    boolean raise(String table, long floor) {
        Long last = floors.get(table);
        if (last != null && last >= floor) {
            return false;
        }
        floors.put(table, floor);
        return true;
    }

    /** Whether a record of the table at this version belongs to before the table's last TRUNCATE. */
    boolean before(String table, long version) {
        if (floors.isEmpty()) {
            return false;
        }
        Long floor = floors.get(table);
        return floor != null && version < floor;
    }
}
