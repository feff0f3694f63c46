package io.tapflow.api;

import java.util.List;

/**
 * A validated {@code GET /api/<name>} request: the fields to return, the filter, the total order (the requested
 * order then the key), the page size, the keyset position or offset, and whether to count the matching rows.
 */
record PageRequest(List<String> fields, Condition filter, List<SortKey> order, String orderText, int limit,
                   List<Object> after, long offset, boolean count) {
}
