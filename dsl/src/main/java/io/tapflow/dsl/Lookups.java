package io.tapflow.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a lookup, for a static import:
 * <pre>{@code
 * Pipeline.named("orders-view").readFrom(mysql.table("orders"))
 *     .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
 *     .lookupMany(rows(mysql.table("order_items")).lookup(mysql.table("product"), on("product_id", "id"), as("product")),
 *                 on("id", "order_id"), as("items"), arrayKey("item_id"))
 *     .writeTo(mongo.table("orders_view"));
 * }</pre>
 */
public final class Lookups {
    private Lookups() {}

    /** The join: this row's field {@code parentField} equals the looked-up row's {@code childField}. */
    public static On on(String parentField, String childField) {
        return new On(List.of(new Step.JoinField(parentField, childField)));
    }

    /** Embeds the looked-up row (or, with lookupMany, the array of rows) as this field. */
    public static Embed as(String field) {
        return new Embed(field);
    }

    /** Adds the looked-up row's fields to this row, each named {@code prefix + field} (a wide table for SQL targets). */
    public static Flatten flatten(String prefix) {
        return new Flatten(prefix);
    }

    /** The fields that identify and order the elements of an embedded array. */
    public static ArrayKey arrayKey(String... fields) {
        return new ArrayKey(List.of(fields));
    }

    /** The rows of a table, to give a lookup its own steps: {@code rows(mysql.table("order_items")).exclude("note")}. */
    public static Pipeline rows(TableRef table) {
        return Pipeline.named(table.table()).readFrom(table);
    }

    /** A join's field pairs; {@link #and} adds one for a composite join. */
    public record On(List<Step.JoinField> fields) {
        public On and(String parentField, String childField) {
            List<Step.JoinField> next = new ArrayList<>(fields);
            next.add(new Step.JoinField(parentField, childField));
            return new On(next);
        }
    }

    /** Where a looked-up row goes: an embedded field or flattened fields. */
    public sealed interface Into permits Embed, Flatten {}

    public record Embed(String field) implements Into {}

    public record Flatten(String prefix) implements Into {}

    public record ArrayKey(List<String> fields) {}
}
