package io.tapflow.flink.lookup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple3;

/**
 * The version numbering of a router's truncated tables. A TRUNCATE moves its table's versions on by {@link #ERA}:
 * a row seen for the first time after it starts at {@code firstVersion(clock) + shift}, and never below the floor
 * the TRUNCATE set, while every version given before it is below that floor (see {@link #truncate}). Every subtask of
 * a router meets the same TRUNCATEs with the same stamp, and so computes the same floors; they are checkpointed (as
 * a union list, so each subtask gets them all back after a change of parallelism).
 */
final class TruncatedTables {
    /**
     * How far a TRUNCATE moves its table's versions on: the versions a router gives in 2^34 ms (199 days) at
     * {@code LookupRouter}'s 1,024 per ms. A row before the TRUNCATE that a router numbers later than the TRUNCATE's
     * stamp (a router subtask lagging behind the one that copied it, or a clock ahead of its clock) stays below the
     * floor unless it lags by that much. A table may be truncated 500,000 times before versions reach Long.MAX_VALUE.
     */
    static final long ERA = 1L << 44;
    /** Per table: the shift of its versions and the floor of its last TRUNCATE. */
    private final Map<String, long[]> byTable = new HashMap<>();

    /** The version of a row of the table that the router holds nothing for. */
    long firstVersion(String table, long processingTimeMs) {
        long clock = LookupRouter.firstVersion(processingTimeMs);
        if (byTable.isEmpty()) {
            return clock;
        }
        long[] truncated = byTable.get(table);
        return truncated == null ? clock : Math.max(clock + truncated[0], truncated[1]);
    }

    /**
     * Moves the table's versions on for a TRUNCATE copied at {@code stampMs}; returns the floor: every version given
     * before it is below, every one given after it at or above.
     */
    long truncate(String table, long stampMs) {
        long[] before = byTable.get(table);
        long shift = (before == null ? 0 : before[0]) + ERA;
        long floor = Math.max(LookupRouter.firstVersion(stampMs) + shift, before == null ? 0 : before[1] + ERA);
        byTable.put(table, new long[] {shift, floor});
        return floor;
    }

    List<Tuple3<String, Long, Long>> entries() {
        List<Tuple3<String, Long, Long>> entries = new ArrayList<>();
        byTable.forEach((table, t) -> entries.add(Tuple3.of(table, t[0], t[1])));
        return entries;
    }

    /** Takes restored entries back; after a change of parallelism each table comes once per former subtask. */
    void restore(Iterable<Tuple3<String, Long, Long>> entries) {
        for (Tuple3<String, Long, Long> e : entries) {
            byTable.merge(e.f0, new long[] {e.f1, e.f2}, (a, b) -> a[1] >= b[1] ? a : b);
        }
    }
}
