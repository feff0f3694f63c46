package io.tapflow.api;

import io.tapflow.dsl.api.ApiOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The condition "after this row" in a total order (one that ends in the key): for order (a, b) and last row (x, y),
 * {@code a > x OR (a = x AND b > y)}, with NULLs placed where the backend sorts them. Rows inserted or deleted between
 * pages do not shift it, so no row present throughout is returned twice or skipped.
 */
final class Keyset {
    private Keyset() {}

    /**
     * @param nullable whether a field can be NULL: for those that cannot, no NULL branches are added, which keeps the
     *                 condition one an index on the field can serve
     */
    static Condition after(List<SortKey> order, List<Object> last, Predicate<SortKey> nullsFirst, Predicate<String> nullable) {
        return after(order, last, nullsFirst, nullable, 0);
    }

    private static Condition after(List<SortKey> order, List<Object> last, Predicate<SortKey> nullsFirst, Predicate<String> nullable,
                                   int i) {
        if (i == order.size()) {
            return Condition.FALSE; // the same row is not after itself
        }
        SortKey k = order.get(i);
        Object v = last.get(i);
        Condition rest = after(order, last, nullsFirst, nullable, i + 1);
        List<Condition> any = new ArrayList<>();
        if (v == null) {
            if (nullsFirst.test(k)) {
                any.add(new Condition.IsNull(k.field(), false));
            }
            any.add(new Condition.All(List.of(new Condition.IsNull(k.field(), true), rest)));
        } else {
            any.add(new Condition.Compare(k.field(), k.descending() ? ApiOperator.LT : ApiOperator.GT, v));
            if (!nullsFirst.test(k) && nullable.test(k.field())) {
                any.add(new Condition.IsNull(k.field(), true));
            }
            if (!rest.equals(Condition.FALSE)) {
                any.add(new Condition.All(List.of(new Condition.Compare(k.field(), ApiOperator.EQ, v), rest)));
            }
        }
        return new Condition.Any(any);
    }
}
