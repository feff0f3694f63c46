package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.RowLayouts;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

/**
 * What travels between the operators of a lookup: a change event with what to do with it ({@link #kind}), the
 * version of the row it belongs to, and a routing key (the join key on the way to the join, the parent row's key on
 * the way to the gate). A plain tuple so that Flink serializes it field by field, with no Kryo.
 */
public final class LookupRecord {
    /** Replace the row stored under the routing key (it was sent here before) and emit. */
    public static final byte UPSERT = 0;
    /**
     * The row left this join key (its join value changed): forget it here. For a parent, the join passes it on to
     * the gate as the sign that no more pictures of the row come from this key.
     */
    public static final byte RETRACT = 1;
    /** The row was deleted: forget it; a parent's delete reaches the target. */
    public static final byte DELETE = 2;
    /** Store the row under the routing key, where it is not yet (it is new, or had no join value), and emit. */
    public static final byte INSERT = 3;
    /**
     * Store the row under the routing key, where it moved from another, which got a {@link #RETRACT} of the same
     * version: a parent's {@link LookupGate} counts the two to know when no older picture of the row can come.
     */
    public static final byte MOVE_IN = 4;
    /** The join key of a row whose join fields hold a NULL: it matches nothing and is stored nowhere. */
    public static final String NO_JOIN_KEY = "\u0000null";

    /** The records' type, their events in the compact form of the job's row layouts (they cross task boundaries). */
    public static TypeInformation<Tuple4<Byte, Long, String, ChangeEvent>> type(RowLayouts layouts) {
        return new TupleTypeInfo<>(Types.BYTE, Types.LONG, Types.STRING, ChangeEventTypeInfo.of(layouts));
    }

    private LookupRecord() {}

    /** Whether a record of this kind stores its row (rather than removing it). */
    public static boolean stores(byte kind) {
        return kind == UPSERT || kind == INSERT || kind == MOVE_IN;
    }

    public static Tuple4<Byte, Long, String, ChangeEvent> of(byte kind, long version, String routingKey, ChangeEvent event) {
        return Tuple4.of(kind, version, routingKey, event);
    }

    /** Routes a record by its routing key. */
    public static final class ByRoutingKey implements KeySelector<Tuple4<Byte, Long, String, ChangeEvent>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Tuple4<Byte, Long, String, ChangeEvent> record) {
            return record.f2;
        }
    }

    /**
     * Routes a change event by its table and source key: one row's changes to one subtask, in order; a copy of a
     * TRUNCATE to the router subtask it is for ({@link TableTruncation#copies}).
     */
    public static final class ByRow implements KeySelector<ChangeEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ChangeEvent event) {
            String truncateCopy = TableTruncation.isTruncate(event) ? TableTruncation.routeKey(event) : null;
            return truncateCopy != null ? truncateCopy : JoinKeys.rowKey(event);
        }
    }
}
