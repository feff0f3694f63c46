package io.tapflow.udf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/** What a UDF returned, as rows: the record, a changed or new record, null/None (no row), or a list (fan-out). */
final class UdfResults {
    private static final String ALLOWED = "return the record, a changed record, null/None to drop it, or a list of records";

    private UdfResults() {}

    /** {@code input} is the row before the UDF: new numbers keep the Java type its fields had. */
    static List<Map<String, Object>> rows(Value result, Map<String, Object> input) {
        if (result.isNull()) {
            return List.of();
        }
        if (result.hasArrayElements()) {
            List<Map<String, Object>> rows = new ArrayList<>((int) result.getArraySize());
            for (long i = 0; i < result.getArraySize(); i++) {
                Value element = result.getArrayElement(i);
                if (element.isNull()) {
                    continue;
                }
                // The same record returned twice must become two rows, not one shared map.
                rows.add(new LinkedHashMap<>(row(element, input)));
            }
            return rows;
        }
        return List.of(row(result, input));
    }

    private static Map<String, Object> row(Value v, Map<String, Object> input) {
        RecordProxy record = asRecord(v);
        if (record != null) {
            return record.row();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        if (v.hasHashEntries()) {
            Value entries = v.getHashEntriesIterator();
            while (entries.hasIteratorNextElement()) {
                Value entry = entries.getIteratorNextElement();
                String field = entry.getArrayElement(0).asString();
                row.put(field, GuestValues.toHost(entry.getArrayElement(1), input.get(field), field));
            }
            return row;
        }
        if (v.hasMembers() && !v.canExecute() && !v.isString() && !v.isNumber() && !v.isBoolean()) {
            for (String field : v.getMemberKeys()) {
                row.put(field, GuestValues.toHost(v.getMember(field), input.get(field), field));
            }
            return row;
        }
        throw new IllegalArgumentException("returned " + (v.isString() ? "a string" : v.isNumber() ? "a number"
                : v.isBoolean() ? "a boolean" : GuestValues.describe(v)) + "; " + ALLOWED);
    }

    private static RecordProxy asRecord(Value v) {
        return v.isProxyObject() && v.asProxyObject() instanceof RecordProxy r ? r : null;
    }
}
