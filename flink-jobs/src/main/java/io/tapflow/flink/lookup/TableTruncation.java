package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;

/**
 * What the lookup operators share to follow a TRUNCATE (policy evolve, parallelism 1): the TRUNCATE travels the
 * lookup's path in order with the rows, and each operator forgets what it holds of the table's rows when it meets
 * it, every key of its state at once ({@link RowStateTruncation}, {@link JoinTruncation}), before the rows after it.
 */
final class TableTruncation {
    /** The routing key of a TRUNCATE on its way to the join and the gate; no join or row key looks like it. */
    static final String ROUTING_KEY = "\u0000truncate";

    private TableTruncation() {}

    static boolean isTruncate(ChangeEvent event) {
        return event.op() == Op.TRUNCATE;
    }

    /** A TRUNCATE as the record that carries it from a router to the join and from the join to the gate. */
    static Tuple4<Byte, Long, String, ChangeEvent> record(ChangeEvent truncate) {
        return LookupRecord.of(LookupRecord.DELETE, 0L, ROUTING_KEY, truncate);
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
