package io.tapflow.flink.verify;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Compares one target table with what the pipeline makes of its source table(s): both sides streamed in target key
 * order and merged, so memory holds one row per side (plus the differences kept for the re-check, up to a limit).
 */
final class TableComparison {
    /** A field one side does not have at all (schemaless targets), told apart from a NULL. */
    static final String ABSENT = "(absent)";

    private final TargetTable table;
    private final List<SourcePart> parts;
    private final PipelineRows steps;
    private final TargetReader target;
    private final boolean schemaless;
    private final VerifyOptions options;
    private final Map<Difference.Kind, Long> counts = new EnumMap<>(Difference.Kind.class);
    private final List<Found> kept = new ArrayList<>();
    private final List<Found> lasting = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private List<Found> pending = List.of();
    private long resolvedByRecheck;
    private long changing;
    private long sourceRows;
    private long expectedRows;
    private long targetRows;
    private long matched;
    private long unchecked;
    /** Concurrent: the reading threads key rows with these while the merging thread compares with them. */
    private final Map<String, FieldCheck> checks = new ConcurrentHashMap<>();
    private List<FieldCheck> columnChecks;

    TableComparison(TargetTable table, List<SourcePart> parts, PipelineRows steps, TargetReader target, boolean schemaless,
                    VerifyOptions options) {
        this.table = table;
        this.parts = List.copyOf(parts);
        this.steps = steps;
        this.target = target;
        this.schemaless = schemaless;
        this.options = options;
        for (Difference.Kind k : Difference.Kind.values()) {
            counts.put(k, 0L);
        }
    }

    TargetTable table() {
        return table;
    }

    List<SourcePart> parts() {
        return parts;
    }

    /** Rows a checksum found equal on both sides, counted without reading them. */
    void matchedByChecksum(long rows) {
        sourceRows += rows;
        expectedRows += rows;
        targetRows += rows;
        matched += rows;
    }

    /** A line the report shows with the table (how it was compared). */
    void note(String note) {
        notes.add(note);
    }

    /** Counts only: the target's rows against the rows the steps make of the source (read through them if they may drop or add rows). */
    void countOnly(boolean stepsChangeRowCount) {
        for (SourcePart part : parts) {
            if (stepsChangeRowCount) {
                try (ExpectedRows rows = new ExpectedRows(part, null, true)) {
                    while (rows.next() != null) {
                        // counted by ExpectedRows
                    }
                }
            } else {
                long n = part.reader().count(part.schema());
                sourceRows += n;
                expectedRows += n;
            }
        }
        targetRows = target.count(table);
    }

    /** The first pass over every row (of a key range, or of all when it is null). */
    void compareAll(KeyRange range) {
        List<ExpectedRows> streams = new ArrayList<>();
        // Both sides are read ahead on threads of their own, at the same time, while this thread merges and compares;
        // the reading threads also key the rows and, for a single source table, run the steps.
        try (PrefetchingCursor<KeyedRow> targetRowsCursor = new PrefetchingCursor<>(
                range == null ? target.rows(table) : target.rows(table, range),
                row -> Collections.singletonList(actual(row)), "target " + table.name())) {
            // The steps are not thread-safe (UDF contexts, counters): with several source tables they run here.
            boolean stepsOnReader = parts.size() == 1;
            parts.forEach(p -> streams.add(new ExpectedRows(p, range, stepsOnReader)));
            Merged expected = new Merged(streams);
            KeyedRow e = expected.next();
            KeyedRow a = nextActual(targetRowsCursor, null);
            while (e != null || a != null) {
                int c = e == null ? 1 : a == null ? -1 : KeyOrder.INSTANCE.compare(e.key(), a.key());
                if (c < 0) {
                    record(new Found(Difference.Kind.MISSING, e, null, List.of()));
                    e = expected.next();
                } else if (c > 0) {
                    record(new Found(Difference.Kind.EXTRA, null, a, List.of()));
                    a = nextActual(targetRowsCursor, a);
                } else {
                    Found f = compare(e, a);
                    if (f == null) {
                        matched++;
                    } else {
                        record(f);
                    }
                    e = expected.next();
                    a = nextActual(targetRowsCursor, a);
                }
            }
        } finally {
            streams.forEach(ExpectedRows::close);
        }
    }

    private void record(Found f) {
        counts.merge(f.kind(), 1L, Long::sum);
        if (kept.size() < options.recheckLimit()) {
            kept.add(f);
        } else {
            unchecked++;
        }
    }

    private KeyedRow nextActual(PrefetchingCursor<KeyedRow> cursor, KeyedRow previous) {
        KeyedRow a = cursor.next();
        if (a == null) {
            return null;
        }
        targetRows++;
        if (previous != null && KeyOrder.INSTANCE.compare(previous.key(), a.key()) >= 0) {
            throw new TapflowException("target table " + table.name() + " returned its rows out of key order (key "
                    + RowValues.format(a.keyValues()) + " after " + RowValues.format(previous.keyValues())
                    + "); tapflow verify cannot compare it");
        }
        return a;
    }

    /** The differences kept for the re-check (the first {@code recheckLimit} of them). */
    List<Found> kept() {
        return List.copyOf(kept);
    }

    /** Starts the re-check of the kept differences; {@link #recheckRound} then checks the pending ones. */
    void startRecheck() {
        pending = new ArrayList<>(kept);
        lasting.clear();
    }

    boolean recheckPending() {
        return !pending.isEmpty();
    }

    /**
     * Checks the pending differences again, after the caller waited out the pipeline's lag. Resolved ones are dropped,
     * lasting ones kept; those whose source row changed since it was last read stay pending for the next round (their
     * change may be in flight).
     */
    void recheckRound() {
        List<Found> next = new ArrayList<>();
        for (Found f : pending) {
            Recheck r = recheckOne(f);
            switch (r.outcome()) {
                case RESOLVED -> resolvedByRecheck++;
                case LASTING -> lasting.add(r.found());
                case CHANGED -> next.add(r.found());
            }
        }
        pending = next;
    }

    /** Ends the re-check: the kept differences become the lasting ones, each kind recounted. */
    void finishRecheck() {
        changing = pending.size();
        kept.forEach(f -> counts.merge(f.kind(), -1L, Long::sum));
        lasting.forEach(f -> counts.merge(f.kind(), 1L, Long::sum));
        kept.clear();
        kept.addAll(lasting);
        pending = List.of();
    }

    /** The kept differences still there when checked at once (after a repair): lasting and changing ones alike. */
    long stillDifferent() {
        return kept.stream().map(this::recheckOne).filter(r -> r.outcome() != Outcome.RESOLVED).count();
    }

    /** What a second look at a difference found. */
    enum Outcome { RESOLVED, LASTING, CHANGED }

    record Recheck(Outcome outcome, Found found) {}

    /** Whether a key's source row can be read by that key (not when the steps make the key). */
    boolean keysReReadable() {
        return parts.stream().noneMatch(p -> p.keyColumns().isEmpty());
    }

    /**
     * A key to check that no comparison has seen yet (a key the running job wrote): {@link #recheckOne} of it is
     * RESOLVED when source and target agree; any other outcome of this first look only says to look again.
     */
    Found unchecked(Map<String, Object> keyValues) {
        return new Found(Difference.Kind.DIFFERENT, null, actual(keyValues), List.of());
    }

    /**
     * Reads the row again on both sides: the source (through the steps), the target, and the source once more, so a
     * change committed meanwhile is told apart from a lasting difference.
     */
    Recheck recheckOne(Found f) {
        KeyedRow any = f.anySide();
        if (parts.stream().anyMatch(p -> p.keyColumns().isEmpty())) {
            return new Recheck(Outcome.LASTING, f); // the steps make the key: no source row can be looked up by it
        }
        KeyedRow before = reRead(any);
        Map<String, Object> row = target.row(table, RowKey.of(table.keyFields(), any.keyValues(), table.name()));
        KeyedRow a = row == null ? null : actual(row);
        KeyedRow after = reRead(any);
        Found again = before == null && a == null ? null
                : before == null ? new Found(Difference.Kind.EXTRA, null, a, List.of())
                : a == null ? new Found(Difference.Kind.MISSING, before, null, List.of())
                : compare(before, a);
        if (!sameRow(before, after)) {
            return new Recheck(Outcome.CHANGED, again == null ? f : again);
        }
        if (again == null) {
            return new Recheck(Outcome.RESOLVED, null);
        }
        return new Recheck(sameRow(f.expected(), before) ? Outcome.LASTING : Outcome.CHANGED, again);
    }

    private static boolean sameRow(KeyedRow x, KeyedRow y) {
        if (x == null || y == null) {
            return x == y;
        }
        if (!x.row().keySet().equals(y.row().keySet())) {
            return false;
        }
        return x.row().keySet().stream().allMatch(k -> ValueMatch.same(x.row().get(k), y.row().get(k), false));
    }

    /** Null when the rows are equal; else what differs. */
    Found compare(KeyedRow e, KeyedRow a) {
        List<Difference.FieldDifference> diffs = null;
        for (FieldCheck check : fieldsToCompare(e, a)) {
            String f = check.name();
            boolean inExpected = !schemaless || e.row().containsKey(f);
            boolean inActual = !schemaless || a.row().containsKey(f);
            Object expected = e.row().get(f);
            Object actual = a.row().get(f);
            Difference.FieldDifference diff = inExpected != inActual
                    ? new Difference.FieldDifference(f, inExpected ? expected : ABSENT, inActual ? actual : ABSENT)
                    : ValueMatch.same(check.stored().apply(expected), actual, check.json()) ? null
                    : new Difference.FieldDifference(f, expected, actual);
            if (diff != null) {
                diffs = diffs == null ? new ArrayList<>() : diffs;
                diffs.add(diff);
            }
        }
        return diffs == null ? null : new Found(Difference.Kind.DIFFERENT, e, a, diffs);
    }

    /**
     * The fields to compare and how: a table's columns (less those no re-run reproduces) are resolved once; a
     * schemaless target's fields are those of either row, each resolved on first sight.
     */
    private List<FieldCheck> fieldsToCompare(KeyedRow e, KeyedRow a) {
        if (!schemaless) {
            if (columnChecks == null) {
                columnChecks = table.columnNames().stream().filter(f -> !steps.unreproducibleFields().contains(f))
                        .map(this::check).toList();
            }
            return columnChecks;
        }
        Set<String> fields = new LinkedHashSet<>(e.row().keySet());
        fields.addAll(a.row().keySet());
        fields.removeAll(steps.unreproducibleFields());
        return fields.stream().map(this::check).toList();
    }

    private FieldCheck check(String field) {
        return checks.computeIfAbsent(field, f -> new FieldCheck(f, target.storedAs(table, f), target.isJson(table, f)));
    }

    /** A field compared with the target's conversion of the expected value and whether it holds JSON text. */
    private record FieldCheck(String name, UnaryOperator<Object> stored, boolean json) {}

    /** A row the pipeline writes, with its key as the target stores it. */
    KeyedRow expected(Map<String, Object> row, String sourceTable) {
        Map<String, Object> keyValues = keyValues(row, sourceTable);
        List<Object> key = new ArrayList<>(keyValues.size());
        keyValues.forEach((k, v) -> key.add(KeyOrder.keyForm(check(k).stored().apply(v))));
        return new KeyedRow(key, keyValues, row, sourceTable);
    }

    KeyedRow actual(Map<String, Object> row) {
        Map<String, Object> keyValues = keyValues(row, "target table " + table.name());
        List<Object> key = new ArrayList<>(keyValues.size());
        keyValues.values().forEach(v -> key.add(KeyOrder.keyForm(v)));
        return new KeyedRow(key, keyValues, row, table.sourceTable());
    }

    private Map<String, Object> keyValues(Map<String, Object> row, String where) {
        List<String> fields = table.keyFields();
        if (fields.size() == 1) {
            // The common single-field key: no map to build and grow per row and side.
            return Collections.singletonMap(fields.get(0), keyValue(row, fields.get(0), where));
        }
        Map<String, Object> keyValues = new LinkedHashMap<>();
        for (String k : fields) {
            keyValues.put(k, keyValue(row, k, where));
        }
        return keyValues;
    }

    private static Object keyValue(Map<String, Object> row, String field, String where) {
        Object v = row.get(field);
        if (v == null) {
            throw new TapflowException("a row of " + where + " has no value for key field '" + field + "': " + RowValues.format(row));
        }
        return v;
    }

    /** The row the pipeline makes now of the source row(s) with this key; null if there is none. */
    private KeyedRow reRead(KeyedRow key) {
        KeyedRow result = null;
        for (SourcePart part : parts) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < part.keyColumns().size(); i++) {
                values.add(key.keyValues().get(table.keyFields().get(i)));
            }
            for (Map<String, Object> row : part.reader().rowsWhere(part.schema(), part.keyColumns(), values)) {
                for (Map<String, Object> out : steps.apply(part.schema().qualifiedName(), row, part.schema().primaryKey())) {
                    KeyedRow e = expected(out, part.schema().qualifiedName());
                    if (KeyOrder.INSTANCE.compare(e.key(), key.key()) == 0) {
                        result = e;
                    }
                }
            }
        }
        return result;
    }

    TableReport report(TableReport.RepairReport repair) {
        List<String> sources = parts.stream().map(p -> p.schema().qualifiedName()).toList();
        List<String> notCompared = steps.unreproducibleFields().stream().sorted().toList();
        if (options.mode() == VerifyMode.COUNT) {
            return new TableReport(table.name(), sources, sourceRows, expectedRows, targetRows, -1, -1, -1, -1,
                    steps.failedRows(), steps.firstFailure(), notCompared, notes, List.of(), 0, 0, 0, repair);
        }
        List<Difference> examples = kept.stream().limit(options.examples()).map(Found::toDifference).toList();
        return new TableReport(table.name(), sources, sourceRows, expectedRows, targetRows, matched,
                counts.get(Difference.Kind.MISSING), counts.get(Difference.Kind.EXTRA), counts.get(Difference.Kind.DIFFERENT),
                steps.failedRows(), steps.firstFailure(), notCompared, notes, examples, resolvedByRecheck, changing, unchecked, repair);
    }

    /**
     * The rows the steps make of one source table, in the order read; checks that it is target key order. The steps
     * run on the reading thread when this is the only stream of the comparison, else on the merging thread.
     */
    private final class ExpectedRows implements AutoCloseable {
        private final SourcePart part;
        private final String name;
        private final PrefetchingCursor<KeyedRow> prepared;
        private final PrefetchingCursor<Map<String, Object>> raw;
        private final Deque<KeyedRow> pending = new ArrayDeque<>();
        private KeyedRow previous;

        ExpectedRows(SourcePart part, KeyRange range, boolean stepsOnReader) {
            this.part = part;
            this.name = part.schema().qualifiedName();
            RowCursor rows = part.reader().rows(part.schema(), part.orderColumns(), range);
            this.prepared = stepsOnReader ? new PrefetchingCursor<>(rows, this::expectedOf, "source " + name) : null;
            this.raw = stepsOnReader ? null : new PrefetchingCursor<>(rows, Collections::singletonList, "source " + name);
        }

        /** The target rows of one source row, counted (on whichever thread runs the steps; read after close). */
        private List<KeyedRow> expectedOf(Map<String, Object> row) {
            sourceRows++;
            List<Map<String, Object>> outs = steps.apply(name, row, part.schema().primaryKey());
            List<KeyedRow> keyed = new ArrayList<>(outs.size());
            for (Map<String, Object> out : outs) {
                keyed.add(expected(out, name));
                expectedRows++;
            }
            return keyed;
        }

        KeyedRow next() {
            KeyedRow next = prepared != null ? prepared.next() : nextHere();
            if (next == null) {
                return null;
            }
            if (previous != null && KeyOrder.INSTANCE.compare(previous.key(), next.key()) > 0) {
                throw new TapflowException("table " + table.name() + ": the rows the pipeline makes of " + name
                        + " do not come in target key order (key " + RowValues.format(next.keyValues()) + " after "
                        + RowValues.format(previous.keyValues()) + "): a step changes or derives key field values "
                        + "(change_type, value_map, add_field or a UDF on a key field); tapflow verify cannot compare this table yet");
            }
            previous = next;
            return next;
        }

        private KeyedRow nextHere() {
            while (pending.isEmpty()) {
                Map<String, Object> row = raw.next();
                if (row == null) {
                    return null;
                }
                pending.addAll(expectedOf(row));
            }
            return pending.poll();
        }

        @Override
        public void close() {
            if (prepared != null) {
                prepared.close();
            } else {
                raw.close();
            }
        }
    }

    /**
     * The expected rows of every source table of the target table, merged in key order. Rows with the same key
     * (a UDF fanning out to one key, a union's sources sharing keys) are one target row: the last one is kept, as the
     * sink's buffer keeps the last change of a key.
     */
    private static final class Merged {
        private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::row,
                Comparator.comparing(KeyedRow::key, KeyOrder.INSTANCE)));

        Merged(List<ExpectedRows> streams) {
            streams.forEach(this::advance);
        }

        KeyedRow next() {
            Head head = heads.poll();
            if (head == null) {
                return null;
            }
            KeyedRow row = head.row();
            advance(head.stream());
            while (!heads.isEmpty() && KeyOrder.INSTANCE.compare(heads.peek().row().key(), row.key()) == 0) {
                Head same = heads.poll();
                row = same.row();
                advance(same.stream());
            }
            return row;
        }

        private void advance(ExpectedRows stream) {
            KeyedRow next = stream.next();
            if (next != null) {
                heads.add(new Head(next, stream));
            }
        }

        private record Head(KeyedRow row, ExpectedRows stream) {}
    }
}
