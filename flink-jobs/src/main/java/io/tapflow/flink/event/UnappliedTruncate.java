package io.tapflow.flink.event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source's TRUNCATE that the source itself knows cannot be applied at one position of the stream (a truncate message
 * in one partition of a Kafka topic of several), with the reason; the schema-change follower reports it under every
 * policy instead of passing it on.
 */
public final class UnappliedTruncate {
    private static final String WHY = "notApplied";

    private UnappliedTruncate() {}

    public static ChangeEvent of(String table, long sourceTsMs, String why) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put(WHY, why);
        return new ChangeEvent(Op.TRUNCATE, table, what, null, null, sourceTsMs);
    }

    /** Why the TRUNCATE is not applied; null when nothing in the source stands in its way. */
    public static String why(ChangeEvent truncate) {
        return (String) truncate.key().get(WHY);
    }
}
