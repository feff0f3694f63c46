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
 * brought nothing at all for a while since. Values are never logged, only keys and field names.
 */
final class SampleChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleChecks.class);
    /** Checks of a key whose source row keeps changing before it is given up (not counted). */
    static final int MAX_CHANGES = 5;
    /** How long a difference may wait for the change stream to pass the moment it was seen, before it is given up. */
    static final long MAX_WAIT_MS = 10 * 60_000;
    /** Differing keys followed at once; more are given up (logged), so memory stays bounded. */
    static final int MAX_SUSPECTS = 10_000;

    /** A sampled key: target table and key. */
    record Id(String table, RowKey key) {}

    /**
     * What the change stream had brought when a checkpoint's barrier passed the sampler.
     *
     * @param at       when (epoch ms)
     * @param position the latest source commit time of a live change (epoch ms)
     * @param events   changes seen so far
     */
    record StreamMark(long at, long position, long events) {}

    /** Without any change arriving for this long after a read, nothing is taken to be in flight. */
    static final long IDLE_MS = 2_000;

    /** A key that differed: the difference, when its rows were read, and how often its source row changed since. */
    private record Suspect(Found found, long readAt, long eventsAtRead, int changes) {}

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
        LOG.debug("verify sample round: {} new key(s), {} followed, {}", sampled.size(), suspects.size(), mark);
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
            LOG.debug("verify sample: target table {} row {} differs at first look ({}: {})", id.table(),
                    RowValues.format(r.found().anySide().keyValues()), r.outcome(), describe(r.found()));
            follow(id, new Suspect(r.found(), readAt, events, 0));
        }
    }

    private void again(Id id, Suspect s, StreamMark mark) {
        TableComparison table = tables.table(id.table());
        long readAt = clock.getAsLong();
        long events = liveEvents.getAsLong();
        TableComparison.Recheck r = table.recheckOne(s.found());
        LOG.debug("verify sample: target table {} row {} looked at again: {}", id.table(),
                RowValues.format(s.found().anySide().keyValues()), r.outcome());
        switch (r.outcome()) {
            case RESOLVED -> checked.inc();
            case LASTING -> {
                if (passed(mark, s)) {
                    checked.inc();
                    mismatched.inc();
                    Found f = r.found();
                    LOG.warn("verify sample: target table {} row {} is not what the pipeline writes: {}", id.table(),
                            RowValues.format(f.anySide().keyValues()), describe(f));
                } else {
                    follow(id, s); // the change that makes it equal may still be in flight
                }
            }
            case CHANGED -> follow(id, new Suspect(r.found(), readAt, events, s.changes() + 1));
        }
    }

    /**
     * Whether every change committed before the suspect's rows were read is in the target: the barrier of the mark
     * passed after that read (and everything before it is flushed), and the stream had by then brought a change
     * committed after the read, or none at all for a while (an idle source has nothing in flight).
     */
    private static boolean passed(StreamMark mark, Suspect s) {
        return mark.at() > s.readAt() && (mark.position() >= s.readAt()
                || mark.events() == s.eventsAtRead() && mark.at() - s.readAt() >= IDLE_MS);
    }

    private void follow(Id id, Suspect s) {
        String key = RowValues.format(s.found().anySide().keyValues());
        if (s.changes() >= MAX_CHANGES) {
            LOG.info("verify sample: target table {} row {} changed in each of {} checks; not counted", id.table(), key, MAX_CHANGES);
        } else if (clock.getAsLong() - s.readAt() > MAX_WAIT_MS) {
            LOG.info("verify sample: target table {} row {} differs, but the change stream has not passed the moment it "
                    + "was read in {} minutes (a lagging source?); not counted", id.table(), key, MAX_WAIT_MS / 60_000);
        } else if (suspects.size() >= MAX_SUSPECTS) {
            LOG.info("verify sample: {} differing keys are being followed already; target table {} row {} is not",
                    MAX_SUSPECTS, id.table(), key);
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
