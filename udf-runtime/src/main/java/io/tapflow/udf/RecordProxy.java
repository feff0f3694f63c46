package io.tapflow.udf;

import java.util.Iterator;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyHashMap;
import org.graalvm.polyglot.proxy.ProxyIterator;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A row as guest code sees it: {@code record.amount} in JavaScript, {@code record['amount']} in Python. Reads and
 * writes go straight to the row map, converting each value on the way, so a field guest code does not write keeps
 * its exact Java value (a DECIMAL stays a BigDecimal).
 */
final class RecordProxy implements ProxyObject, ProxyHashMap {
    private final Map<String, Object> row;

    RecordProxy(Map<String, Object> row) {
        this.row = row;
    }

    Map<String, Object> row() {
        return row;
    }

    @Override
    public Object getMember(String key) {
        return GuestValues.toGuest(row.get(key));
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromArray(row.keySet().toArray());
    }

    @Override
    public boolean hasMember(String key) {
        return row.containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
        row.put(key, GuestValues.toHost(value, row.get(key), key));
    }

    @Override
    public boolean removeMember(String key) {
        if (!row.containsKey(key)) {
            return false;
        }
        row.remove(key);
        return true;
    }

    @Override
    public long getHashSize() {
        return row.size();
    }

    @Override
    public boolean hasHashEntry(Value key) {
        return key.isString() && row.containsKey(key.asString());
    }

    @Override
    public Object getHashValue(Value key) {
        return key.isString() ? getMember(key.asString()) : null;
    }

    @Override
    public void putHashEntry(Value key, Value value) {
        putMember(fieldName(key), value);
    }

    @Override
    public boolean removeHashEntry(Value key) {
        return key.isString() && removeMember(key.asString());
    }

    @Override
    public Object getHashEntriesIterator() {
        Iterator<Map.Entry<String, Object>> entries = row.entrySet().iterator();
        return new ProxyIterator() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Object getNext() {
                Map.Entry<String, Object> e = entries.next();
                return ProxyArray.fromArray(e.getKey(), GuestValues.toGuest(e.getValue()));
            }
        };
    }

    private static String fieldName(Value key) {
        if (!key.isString()) {
            throw new IllegalArgumentException("field names are strings, got " + key);
        }
        return key.asString();
    }
}
