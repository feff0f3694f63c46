package io.tapflow.flink.event;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The source tables a topic's messages named, so that a truncate message of one of them is applied only when no other
 * table's rows are in the topic's target table. A topic that several source tables wrote (a union) is read as one
 * table, and its rows do not say which source table wrote them: emptying the target would delete the other tables'
 * rows too.
 *
 * <p>The source marks each source table it reads rows of (once per run) with {@link #rowsNamed} and a truncate message
 * with {@link #truncate}: both are TRUNCATE events carrying a marker in their key, which the table-event follower right
 * after the source takes out of the stream ({@link #take}), keeping the tables seen in its checkpointed state.
 */
public final class TopicSourceTables implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String ROWS_NAMED = "rowsNamed";
    private static final String TRUNCATE_NAMES = "truncateNames";
    private static final String TOPIC = "topic";
    /** What a message naming no source table (plain json) counts as. */
    private static final String NO_TABLE = "";
    private final Map<String, Set<String>> seen = new HashMap<>();

    /** The mark that {@code table}'s rows named {@code sourceTable} (null: none). */
    public static ChangeEvent rowsNamed(String table, String sourceTable) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put(ROWS_NAMED, sourceTable == null ? NO_TABLE : sourceTable);
        return new ChangeEvent(Op.TRUNCATE, table, what, null, null, 0);
    }

    /** A truncate message of {@code topic} naming {@code sourceTable} (null: none), still to be decided on. */
    public static ChangeEvent truncate(String table, String topic, String sourceTable, long sourceTsMs) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put(TRUNCATE_NAMES, sourceTable == null ? NO_TABLE : sourceTable);
        what.put(TOPIC, topic);
        return new ChangeEvent(Op.TRUNCATE, table, what, null, null, sourceTsMs);
    }

    /**
     * Takes the source's marks: a row mark is remembered and dropped (null returned); a truncate mark becomes the
     * TRUNCATE to follow, or an {@link UnappliedTruncate} when rows of other source tables were read before it. Any
     * other event is returned as it is.
     */
    public ChangeEvent take(ChangeEvent event) {
        if (event.op() != Op.TRUNCATE) {
            return event;
        }
        Object named = event.key().get(ROWS_NAMED);
        if (named != null) {
            seen.computeIfAbsent(event.table(), t -> new TreeSet<>()).add((String) named);
            return null;
        }
        Object truncated = event.key().get(TRUNCATE_NAMES);
        if (truncated == null) {
            return event;
        }
        String why = whyNotApplied((String) event.key().get(TOPIC), (String) truncated, seen.getOrDefault(event.table(), Set.of()));
        return why == null ? new ChangeEvent(Op.TRUNCATE, event.table(), new LinkedHashMap<>(), null, null, event.sourceTsMs())
                : UnappliedTruncate.of(event.table(), event.sourceTsMs(), why);
    }

    /**
     * Why a truncate message naming {@code truncated} ("" for none) cannot empty the target of a topic whose rows named
     * {@code seen}; null when every row read before it named the same table.
     */
    static String whyNotApplied(String topic, String truncated, Set<String> seen) {
        List<String> others = new ArrayList<>(seen);
        others.remove(truncated);
        if (others.isEmpty()) {
            return null;
        }
        List<String> named = others.stream().map(t -> t.equals(NO_TABLE) ? "(rows naming no table)" : t).toList();
        return "a truncate message " + (truncated.equals(NO_TABLE) ? "naming no table" : "of " + truncated)
                + " in topic " + topic + ", whose rows before it also named " + String.join(", ", named)
                + ": the topic is read as one table, so emptying it would delete those rows too; delete "
                + (truncated.equals(NO_TABLE) ? "the truncated rows" : truncated + "'s rows")
                + " at the target yourself, or give each source table a topic of its own";
    }

    /** The state to checkpoint: one "table NUL sourceTable" entry per table seen. */
    public List<String> entries() {
        List<String> entries = new ArrayList<>();
        seen.forEach((table, sources) -> sources.forEach(s -> entries.add(table + '\0' + s)));
        return entries;
    }

    /** Restores {@link #entries()} (of every subtask: a topic's partition may now be read by any). */
    public void restore(Iterable<String> entries) {
        for (String entry : entries) {
            int at = entry.indexOf('\0');
            seen.computeIfAbsent(entry.substring(0, at), t -> new TreeSet<>()).add(entry.substring(at + 1));
        }
    }
}
