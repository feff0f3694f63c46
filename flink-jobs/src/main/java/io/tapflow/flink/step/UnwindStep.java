package io.tapflow.flink.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.Step;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Unwinds a JSON array field (a MySQL JSON column, or text holding a JSON array) into one row per element, the
 * element as text and its position in the index field. An update re-emits the new elements and deletes the rows of
 * old positions the array no longer has; a delete removes every row the old array produced.
 */
public final class UnwindStep implements RowStep {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Step.Unwind step;

    public UnwindStep(Step.Unwind step) {
        this.step = step;
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        List<Map<String, Object>> before = event.before() == null ? List.of() : unwind(event.before());
        List<Map<String, Object>> after = event.after() == null ? List.of() : unwind(event.after());
        for (int i = 0; i < after.size(); i++) {
            Map<String, Object> old = i < before.size() ? before.get(i) : null;
            out.collect(new ChangeEvent(event.op(), event.table(), event.key(), old, after.get(i), event.sourceTsMs()));
        }
        for (int i = after.size(); i < before.size(); i++) {
            out.collect(new ChangeEvent(Op.DELETE, event.table(), event.key(), before.get(i), null, event.sourceTsMs()));
        }
    }

    private List<Map<String, Object>> unwind(Map<String, Object> row) {
        Object value = row.get(step.field());
        if (value == null) {
            return List.of();
        }
        JsonNode array;
        try {
            array = JSON.readTree(String.valueOf(value));
        } catch (JsonProcessingException e) {
            array = null;
        }
        if (array == null || !array.isArray()) {
            throw new StepException("field '" + step.field() + "' holds '" + value + "', which is not a JSON array; "
                    + "unwind takes a JSON column or text such as [\"a\", \"b\"]", null);
        }
        List<Map<String, Object>> rows = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.put(step.field(), element.isNull() ? null : element.isValueNode() ? element.asText() : element.toString());
            copy.put(step.indexField(), i);
            rows.add(copy);
        }
        return rows;
    }
}
