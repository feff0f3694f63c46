package io.tapflow.flink.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Embedded rows and arrays (lookups) are row values: both formats round-trip them exactly, copies are deep. */
class EmbeddedValuesTest {

    @Test
    void embeddedRowsAndArraysRoundTripInBothFormats() throws Exception {
        ChangeEvent event = order();
        RowLayouts layouts = RowLayouts.builder().add("shop.orders", List.copyOf(event.after().keySet())).build();
        for (ChangeEventSerializer serializer : List.of(ChangeEventSerializer.FORMAT_1, ChangeEventSerializer.INSTANCE,
                ChangeEventSerializer.compact(layouts))) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(event, out);
            ChangeEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(event);
            assertThat(RowValues.format(back.after())).isEqualTo(RowValues.format(event.after()));
            // The exact decimal, scale included.
            assertThat(((Map<?, ?>) back.after().get("customer")).get("balance")).isEqualTo(new BigDecimal("10.50"));
        }
    }

    @Test
    void anUpdateOfOneArrayElementRoundTripsAsChanges() throws Exception {
        ChangeEvent event = order();
        Map<String, Object> after = ChangeEventSerializer.INSTANCE.copy(event).after();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) after.get("items");
        items.get(1).put("qty", 9);
        ChangeEvent update = new ChangeEvent(Op.UPDATE, "shop.orders", event.key(), event.after(), after, 2L);
        ChangeEventSerializer serializer = ChangeEventSerializer.compact(
                RowLayouts.builder().add("shop.orders", List.copyOf(after.keySet())).build());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(update, out);
        ChangeEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(update);
        assertThat(back).isNotEqualTo(new ChangeEvent(Op.UPDATE, "shop.orders", event.key(), event.after(), event.after(), 2L));
    }

    @Test
    void copiesAreDeep() {
        ChangeEvent event = order();
        ChangeEvent copy = ChangeEventSerializer.INSTANCE.copy(event);
        ((Map<String, Object>) copy.after().get("customer")).put("name", "changed");
        assertThat(((Map<?, ?>) event.after().get("customer")).get("name")).isEqualTo("Ada");
        assertThat(RowValues.isCanonical(event.after().get("items"))).isTrue();
    }

    private static ChangeEvent order() {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", 1);
        customer.put("name", "Ada");
        customer.put("balance", new BigDecimal("10.50"));
        customer.put("since", LocalDate.of(2020, 1, 31));
        customer.put("photo", new byte[] {1, 2});
        List<Object> items = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("item_id", i);
            item.put("qty", i * 2);
            item.put("note", null);
            items.add(item);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("customer", customer);
        row.put("items", items);
        row.put("nothing", null);
        return new ChangeEvent(Op.READ, "shop.orders", new LinkedHashMap<>(Map.of("id", 7L)), null, row, 1L);
    }
}
