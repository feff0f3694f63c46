package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;

/**
 * What the lookup operators share to follow a TRUNCATE (policy evolve): the TRUNCATE travels the lookup's path with
 * the rows, and each operator forgets what it holds of the table's rows when it meets it, every key of its state at
 * once ({@link RowStateTruncation}, {@link JoinTruncation}), before the rows after it.
 *
 * <p>At parallelism &gt; 1 a copy of it goes to every subtask after each keyed exchange, so each subtask forgets its
 * part of the state; a subtask after an all-to-all exchange meets the copies of its upstream subtasks one by one,
 * mixed with their rows. The routers tell rows before and after a TRUNCATE apart by their versions: a TRUNCATE moves
 * its table's versions on by {@link TruncatedTables#ERA}, so every row after it is numbered at or above a floor that
 * every row before it is below, and the copies carry that floor. The join and the gate forget the table's rows at
 * the first copy (no row after the TRUNCATE can come before it: each upstream subtask sends its copy ahead of its
 * rows after it) and drop the rows below the floor that still come from the subtasks whose copy is not there yet.
 */
final class TableTruncation {
    /** Where a copy of a TRUNCATE in its key is routed to (one router subtask), and when it was first copied. */
    private static final String ROUTE = "\u0000route";
    private static final String STAMP = "\u0000stamp";

    private TableTruncation() {}

    static boolean isTruncate(ChangeEvent event) {
        return event.op() == Op.TRUNCATE;
    }

    /**
     * The copies of a TRUNCATE for the subtasks of a router, each routed by one of {@code routeKeys} (see
     * {@link LookupRecord.ByRow}) and stamped with the time it was copied, from which every router subtask computes
     * the same floor.
     */
    static List<ChangeEvent> copies(ChangeEvent truncate, String[] routeKeys, long nowMs) {
        List<ChangeEvent> copies = new ArrayList<>(routeKeys.length);
        for (String routeKey : routeKeys) {
            Map<String, Object> key = new LinkedHashMap<>(truncate.key());
            key.put(ROUTE, routeKey);
            key.putIfAbsent(STAMP, nowMs);
            copies.add(new ChangeEvent(Op.TRUNCATE, truncate.table(), key, null, null, truncate.sourceTsMs()));
        }
        return copies;
    }

    /**
     * The TRUNCATE as a gate sends it on to the router chained after it (the next lookup's), routed to the gate's
     * own subtask: the router's key selector must give a key of that subtask's key groups.
     */
    static ChangeEvent routedTo(ChangeEvent truncate, String routeKey) {
        Map<String, Object> key = new LinkedHashMap<>(truncate.key());
        key.put(ROUTE, routeKey);
        return new ChangeEvent(Op.TRUNCATE, truncate.table(), key, null, null, truncate.sourceTsMs());
    }

    /** The router subtask a copy made by {@link #copies} is routed to; null for a TRUNCATE that is no such copy. */
    static String routeKey(ChangeEvent truncate) {
        return (String) truncate.key().get(ROUTE);
    }

    /** The time the TRUNCATE was copied for the routers ({@link #copies}); its source time where it was not. */
    static long stamp(ChangeEvent truncate) {
        Object stamp = truncate.key().get(STAMP);
        return stamp instanceof Long ms ? ms : truncate.sourceTsMs();
    }

    /**
     * The TRUNCATE as the records that carry it from a router to each join subtask, or from a join to each gate
     * subtask: one per routing key, with the table's floor as version; without the router subtask it was routed to.
     */
    static List<Tuple4<Byte, Long, String, ChangeEvent>> records(ChangeEvent truncate, long floor, String[] routingKeys) {
        Map<String, Object> key = new LinkedHashMap<>(truncate.key());
        key.remove(ROUTE);
        ChangeEvent event = new ChangeEvent(Op.TRUNCATE, truncate.table(), key, null, null, truncate.sourceTsMs());
        List<Tuple4<Byte, Long, String, ChangeEvent>> records = new ArrayList<>(routingKeys.length);
        for (String routingKey : routingKeys) {
            records.add(LookupRecord.of(LookupRecord.DELETE, floor, routingKey, event));
        }
        return records;
    }

    /** Whether a key of state keyed by row ({@link JoinKeys#rowKey}) is a row of the table. */
    static Predicate<String> rowsOf(String table) {
        String prefix = table + "\u0001";
        return key -> key.startsWith(prefix);
    }

    /** The row keys of the table among {@code keys}, collected before any of them is removed. */
    static List<String> rowsOf(String table, Iterable<String> keys) {
        Predicate<String> ofTable = rowsOf(table);
        List<String> rows = new ArrayList<>();
        for (String key : keys) {
            if (ofTable.test(key)) {
                rows.add(key);
            }
        }
        return rows;
    }

    /**
     * The keys that hold state in any of the named states and pass the filter, collected before any of it is
     * cleared (the heap backend's iterators do not allow changes while they run).
     */
    static List<String> keys(KeyedStateBackend<String> backend, Predicate<String> which, String... states) {
        Set<String> keys = new LinkedHashSet<>();
        for (String state : states) {
            try (Stream<String> held = backend.getKeys(state, VoidNamespace.INSTANCE)) {
                held.filter(which).forEach(keys::add);
            }
        }
        return new ArrayList<>(keys);
    }
}
