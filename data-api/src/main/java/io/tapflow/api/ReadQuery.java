package io.tapflow.api;

import java.util.List;

/**
 * What one page request reads: the columns to fetch (the requested fields plus those the cursor needs), the
 * condition (filters and the keyset position), a total order ending in the key, how many rows, and an offset when
 * the client asked for offset paging instead.
 */
public record ReadQuery(String table, List<String> columns, Condition where, List<SortKey> order, int limit, long offset) {
    public ReadQuery {
        columns = List.copyOf(columns);
        order = List.copyOf(order);
    }
}
