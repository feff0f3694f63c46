package io.tapflow.flink.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

/** Every step on snapshot rows, inserts, updates and deletes, without Flink around it. */
class RowStepsTest {
    private static final UdfLimits LIMITS = new UdfLimits(2_000, false);
    private static final String T = "shop.orders";

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put((String) kv[i], kv[i + 1]);
        }
        return row;
    }

    private static ChangeEvent event(Op op, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> latest = after != null ? after : before;
        return new ChangeEvent(op, T, row("id", latest.get("id")), before, after, 1L);
    }

    private static List<ChangeEvent> run(RowStep step, ChangeEvent... events) {
        List<ChangeEvent> out = new ArrayList<>();
        step.open();
        try {
            for (ChangeEvent e : events) {
                step.apply(e, new ListCollector<>(out));
            }
        } finally {
            step.close();
        }
        return out;
    }

    @Test
    void filterTurnsUpdatesThatLeaveOrEnterTheSetIntoDeletesAndUpserts() {
        RowStep filter = new FilterStep(new Step.Filter("record.amount > 100 && record.status != 'X'", true), LIMITS);
        List<ChangeEvent> out = run(filter,
                event(Op.READ, null, row("id", 1, "amount", 150, "status", "A")),
                event(Op.INSERT, null, row("id", 2, "amount", 50, "status", "A")),
                event(Op.UPDATE, row("id", 3, "amount", 150, "status", "A"), row("id", 3, "amount", 150, "status", "X")),
                event(Op.UPDATE, row("id", 4, "amount", 10, "status", "A"), row("id", 4, "amount", 500, "status", "A")),
                event(Op.UPDATE, row("id", 5, "amount", 200, "status", "A"), row("id", 5, "amount", 300, "status", "A")),
                event(Op.DELETE, row("id", 6, "amount", 1, "status", "A"), null),
                event(Op.DELETE, row("id", 7, "amount", 700, "status", "A"), null));
        assertThat(out).containsExactly(
                event(Op.READ, null, row("id", 1, "amount", 150, "status", "A")),
                event(Op.DELETE, row("id", 3, "amount", 150, "status", "A"), null),
                event(Op.UPDATE, null, row("id", 4, "amount", 500, "status", "A")),
                event(Op.UPDATE, row("id", 5, "amount", 200, "status", "A"), row("id", 5, "amount", 300, "status", "A")),
                event(Op.DELETE, row("id", 7, "amount", 700, "status", "A"), null));
        assertThat(run(new FilterStep(new Step.Filter("record.amount > 100", false), LIMITS),
                event(Op.INSERT, null, row("id", 1, "amount", 150)), event(Op.INSERT, null, row("id", 2, "amount", 5))))
                .containsExactly(event(Op.INSERT, null, row("id", 2, "amount", 5)));
    }

    @Test
    void fieldTransformsApplyToBothImages() {
        Map<String, String> renames = new LinkedHashMap<>();
        renames.put("purchase_ts", "purchased");
        RowStep rename = new RowImageStep(RowTransforms.of(new Step.RenameFields(renames)));
        RowStep exclude = new RowImageStep(RowTransforms.of(new Step.ExcludeFields(List.of("carrier"))));
        RowStep include = new RowImageStep(RowTransforms.of(new Step.IncludeFields(List.of("id", "purchased"))));
        ChangeEvent update = event(Op.UPDATE, row("id", 1, "purchase_ts", 5L, "carrier", "x", "other", 1),
                row("id", 1, "purchase_ts", 6L, "carrier", "y", "other", 2));
        List<ChangeEvent> out = run(include, run(exclude, run(rename, update).get(0)).get(0));
        assertThat(out).containsExactly(event(Op.UPDATE, row("id", 1, "purchased", 5L), row("id", 1, "purchased", 6L)));
        assertThat(run(exclude, event(Op.DELETE, row("id", 2, "carrier", "z"), null)))
                .containsExactly(event(Op.DELETE, row("id", 2), null));
    }

    /** A UDF after addField sees a delete's before image: the field must be there too. */
    @Test
    void constantFieldIsAddedToBothImages() throws Exception {
        AddFieldFunction version = new AddFieldFunction(new Step.AddField("version", FieldValue.constant("v2")));
        assertThat(version.map(event(Op.DELETE, row("id", 1), null)))
                .isEqualTo(event(Op.DELETE, row("id", 1, "version", "v2"), null));
        assertThat(version.map(event(Op.UPDATE, row("id", 2), row("id", 2))))
                .isEqualTo(event(Op.UPDATE, row("id", 2, "version", "v2"), row("id", 2, "version", "v2")));
    }

    @Test
    void valueMapAndTypeChange() {
        RowStep map = new RowImageStep(RowTransforms.of(new Step.ValueMap("status", Map.of("1", "new", "2", "paid"))));
        assertThat(run(map, event(Op.INSERT, null, row("id", 1, "status", 2)), event(Op.INSERT, null, row("id", 2, "status", 9))))
                .containsExactly(event(Op.INSERT, null, row("id", 1, "status", "paid")), event(Op.INSERT, null, row("id", 2, "status", "9")));
        RowStep toNumber = new RowImageStep(RowTransforms.of(new Step.ChangeType("amount", FieldType.DECIMAL)));
        assertThat(run(toNumber, event(Op.READ, null, row("id", 1, "amount", " 12.50"))))
                .containsExactly(event(Op.READ, null, row("id", 1, "amount", new BigDecimal("12.50"))));
        assertThatThrownBy(() -> run(toNumber, event(Op.READ, null, row("id", 1, "amount", "12,5"))))
                .isInstanceOf(StepException.class)
                .hasMessage("field 'amount' value '12,5' (String) cannot be converted to decimal; expected a number such as 12.5");
    }

    @Test
    void epochAndDateTimeConvertAtUtc() {
        Instant at = Instant.parse("2024-05-01T12:30:00Z");
        assertThat(TypeConversions.convert(at.toEpochMilli(), FieldType.TIMESTAMP, "f")).isEqualTo(at);
        assertThat(TypeConversions.convert(at, FieldType.EPOCH_MILLIS, "f")).isEqualTo(at.toEpochMilli());
        assertThat(TypeConversions.convert(LocalDateTime.of(2024, 5, 1, 12, 30), FieldType.EPOCH_MILLIS, "f")).isEqualTo(at.toEpochMilli());
        assertThat(TypeConversions.convert("2024-05-01 12:30:00", FieldType.TIMESTAMP, "f")).isEqualTo(at);
        assertThat(TypeConversions.convert(at.toEpochMilli(), FieldType.DATE, "f")).isEqualTo(LocalDate.of(2024, 5, 1));
        assertThat(TypeConversions.convert(LocalDate.of(2024, 5, 1), FieldType.STRING, "f")).isEqualTo("2024-05-01");
        assertThat(TypeConversions.convert("17", FieldType.INTEGER, "f")).isEqualTo(17L);
        assertThatThrownBy(() -> TypeConversions.convert("yesterday", FieldType.DATE, "due"))
                .hasMessageStartingWith("field 'due' value 'yesterday' (String) cannot be converted to date; expected a date");
        assertThatThrownBy(() -> TypeConversions.convert(new BigDecimal("1.5"), FieldType.INTEGER, "n"))
                .hasMessage("field 'n' value '1.5' (BigDecimal) cannot be converted to integer; expected a whole number");
    }

    @Test
    void expressionFieldIsTyped() {
        RowStep total = new ExpressionFieldStep(new Step.AddField("total",
                FieldValue.expression("record.price * record.qty", FieldType.DECIMAL)), LIMITS);
        assertThat(run(total, event(Op.INSERT, null, row("id", 1, "price", new BigDecimal("2.5"), "qty", 3))))
                .containsExactly(event(Op.INSERT, null, row("id", 1, "price", new BigDecimal("2.5"), "qty", 3, "total", new BigDecimal("7.5"))));
    }

    @Test
    void unwindMakesOneRowPerElementAndDeletesVanishedPositions() {
        RowStep unwind = new UnwindStep(new Step.Unwind("tags", "tags_index"));
        assertThat(run(unwind, event(Op.INSERT, null, row("id", 1, "tags", "[\"a\", 2]"))))
                .containsExactly(event(Op.INSERT, null, row("id", 1, "tags", "a", "tags_index", 0)),
                        event(Op.INSERT, null, row("id", 1, "tags", "2", "tags_index", 1)));
        assertThat(run(unwind, event(Op.UPDATE, row("id", 1, "tags", "[\"a\", \"b\"]"), row("id", 1, "tags", "[\"c\"]"))))
                .containsExactly(event(Op.UPDATE, row("id", 1, "tags", "a", "tags_index", 0), row("id", 1, "tags", "c", "tags_index", 0)),
                        event(Op.DELETE, row("id", 1, "tags", "b", "tags_index", 1), null));
        assertThat(run(unwind, event(Op.DELETE, row("id", 1, "tags", "[\"a\", \"b\"]"), null))).hasSize(2)
                .allMatch(e -> e.op() == Op.DELETE);
        assertThatThrownBy(() -> run(unwind, event(Op.INSERT, null, row("id", 1, "tags", "a,b"))))
                .hasMessageContaining("field 'tags' holds 'a,b', which is not a JSON array");
    }

    @Test
    void udfsRunOnTheAfterImageAndOnTheBeforeImageOfDeletes() {
        RowStep js = new UdfStep(new Step.JsUdf("if (op == 'delete') { return record; }\nrecord.tag = table; return record;"), LIMITS);
        assertThat(run(js, event(Op.INSERT, null, row("id", 1)), event(Op.DELETE, row("id", 2), null)))
                .containsExactly(event(Op.INSERT, null, row("id", 1, "tag", T)), event(Op.DELETE, row("id", 2), null));
        RowStep py = new UdfStep(new Step.PyUdf("def pyfunc(record):\n    if not record['order_status']:\n"
                + "        record['order_status'] = 'invalid'\n    return record\n", "pyfunc"), LIMITS);
        assertThat(run(py, event(Op.UPDATE, row("id", 3, "order_status", "ok"), row("id", 3, "order_status", ""))))
                .containsExactly(event(Op.UPDATE, row("id", 3, "order_status", "ok"), row("id", 3, "order_status", "invalid")));
        // A key the UDF derives: the previous version's target row must be named by the derived key, or it stays behind.
        RowStep derivedKey = new UdfStep(new Step.JsUdf("record.code = 'A-' + record.id; return record;"), LIMITS);
        assertThat(run(derivedKey, event(Op.UPDATE, row("id", 5), row("id", 6))))
                .containsExactly(event(Op.UPDATE, row("id", 5, "code", "A-5"), row("id", 6, "code", "A-6")));
        RowStep fanOut = new UdfStep(new Step.JsUdf("return record.id > 1 ? [record, record] : null;"), LIMITS);
        assertThat(run(fanOut, event(Op.UPDATE, row("id", 1), row("id", 1)), event(Op.UPDATE, row("id", 2), row("id", 2))))
                .containsExactly(event(Op.UPDATE, null, row("id", 2)), event(Op.UPDATE, null, row("id", 2)));
    }

    @Test
    void fieldsWithoutATargetColumnAreAnErrorNotASilentDrop() {
        RowStep check = new PlannedColumnsStep(List.of(new io.tapflow.flink.schema.TargetTable(T, "orders_v1", List.of("id"),
                List.of(new io.tapflow.flink.schema.Column("id", "int", "int", -1, 10, 0, false, false)))));
        assertThat(run(check, event(Op.INSERT, null, row("id", 1)))).hasSize(1);
        assertThatThrownBy(() -> run(check, event(Op.INSERT, null, row("id", 1, "qty", 2L))))
                .isInstanceOf(StepException.class)
                .hasMessage("field 'qty' has no column in target table orders_v1, whose columns are [id]; "
                        + "a UDF may only set planned columns here (add the field with addField first)");
    }
}
