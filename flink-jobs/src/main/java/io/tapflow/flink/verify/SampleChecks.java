package io.tapflow.flink.verify;

import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.sink.RowKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of {@link VerifySampler}, one round per completed checkpoint, on the sampler's own thread: each sampled
 * key's source row is read and run through the pipeline's steps, and compared with the target row
 * ({@link TableComparison#recheckOne}, the code {@code tapflow verify} re-checks with). A key that differs is looked
 * at again in later rounds, and counted as a mismatch (and logged, by key) only when it still differs with its source
 * row unchanged and nothing can be in flight: the change stream has passed the moment of the earlier read, or has
 * brought nothing at all since. Values are never logged, only keys and field names.
 */
final class SampleChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleChecks.class);
    /** Rounds a key whose source row keeps changing is followed before it is given up (not counted). */
    static final int MAX_ROUNDS = 5;
    /** Differing keys followed at once; more are given up (logged), so memory stays bounded. */
    static final int MAX_SUSPECTS = 10_000;

    /** A sampled key: target table and key. */
    record Id(String table, RowKey key) {}

    /**
     * What the change stream had brought when a checkpoint's barrier passed the sampler.
     *
     * @param position the latest source commit time of a live change (epoch ms)
     * @param events   changes seen so far
     */
    record StreamMark(long position, long events) {}

    /** A key that differed: the difference, when its rows were read, and the rounds it has been followed. */
    private record Suspect(Found found, long readAt, long eventsAtRead, int rounds) {}

    private final VerifyTables tables;
    private final Counter checked;
    private final Counter mismatched;
    private final LongSupplier clock;
    private final LongSupplier liveEvents;
    private final Map<Id, Suspect> suspects = new LinkedHashMap<>();

    SampleChecks(VerifyTables tables, Counter checked, Counter mismatched, LongSupplier clock, LongSupplier liveEvents) {
        this.tables = tables;
        this.checked = checked;
        this.mismatched = mismatched;
        this.clock = clock;
        this.liveEvents = liveEvents;
        for (TableComparison t : tables.all()) {
            if (!t.keysReReadable()) {
                LOG.warn("verify sampling skips target table {}: the pipeline's steps make its key, so no source row "
                        + "can be read by it", t.table().name());
            }
        }
    }

    /**
     * One round: the keys that differed in earlier rounds, then the newly sampled ones.
     *
     * @param mark what the stream had brought when the barrier of the checkpoint before the completed one passed
     *             (every change up to there is in the target now)
     */
    void round(Map<Id, Map<String, Object>> sampled, StreamMark mark) {
        for (Map.Entry<Id, Suspect> e : new ArrayList<>(suspects.entrySet())) {
            suspects.remove(e.getKey());
            if (!sampled.containsKey(e.getKey())) {
                again(e.getKey(), e.getValue(), mark);
            }
        }
        sampled.forEach(this::first);
    }

    int suspects() {
        return suspects.size();
    }

    private void first(Id id, Map<String, Object> keyValues) {
        TableComparison table = tables.table(id.table());
        if (table == null || !table.keysReReadable()) {
            return;
        }
        long readAt = clock.getAsLong();
        long events = liveEvents.getAsLong();
        TableComparison.Recheck r = table.recheckOne(table.unchecked(keyValues));
        if (r.outcome() == TableComparison.Outcome.RESOLVED) {
            checked.inc();
        } else {
            follow(id, new Suspect(r.found(), readAt, events, 0));
        }
    }

    private void again(Id id, Suspect s, StreamMark mark) {
        TableComparison table = tables.table(id.table());
        long readAt = clock.getAsLong();
        long events = liveEvents.getAsLong();
        TableComparison.Recheck r = table.recheckOne(s.found());
        switch (r.outcome()) {
            case RESOLVED -> checked.inc();
            case LASTING -> {
                if (mark.position() >= s.readAt() || mark.events() == s.eventsAtRead()) {
                    checked.inc();
                    mismatched.inc();
                    Found f = r.found();
                    LOG.warn("verify sample: target table {} row {} is not what the pipeline writes: {}", id.table(),
                            RowValues.format(f.anySide().keyValues()), describe(f));
                } else {
                    follow(id, new Suspect(s.found(), s.readAt(), s.eventsAtRead(), s.rounds() + 1)); // may be in flight
                }
            }
            case CHANGED -> follow(id, new Suspect(r.found(), readAt, events, s.rounds() + 1));
        }
    }

    private void follow(Id id, Suspect s) {
        if (s.rounds() >= MAX_ROUNDS) {
            LOG.info("verify sample: target table {} row {} changed in each of {} checks; not counted", id.table(),
                    RowValues.format(s.found().anySide().keyValues()), MAX_ROUNDS);
        } else if (suspects.size() >= MAX_SUSPECTS) {
            LOG.info("verify sample: {} differing keys are being followed already; target table {} row {} is not",
                    MAX_SUSPECTS, id.table(), RowValues.format(s.found().anySide().keyValues()));
        } else {
            suspects.put(id, s);
        }
    }

    /** The kind of difference and the differing fields' names (never their values). */
    private static String describe(Found f) {
        return switch (f.kind()) {
            case MISSING -> "missing in the target";
            case EXTRA -> "extra in the target (no source row)";
            case DIFFERENT -> "fields " + f.fields().stream().map(Difference.FieldDifference::field).toList() + " differ";
        };
    }

    @Override
    public void close() {
        tables.close();
    }
}
