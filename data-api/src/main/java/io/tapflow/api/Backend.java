package io.tapflow.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One datasource the APIs read from: describes tables and runs read queries within the query timeout. */
public interface Backend extends AutoCloseable {
    /** The table's columns and key, or empty when there is no such table. */
    Optional<TableSchema> describe(String table);

    /** The rows, each a map from column name to its value as the driver returns it (see {@link JsonValues}). */
    List<Map<String, Object>> find(TableSchema schema, ReadQuery query);

    long count(TableSchema schema, Condition where);

    /** Where NULLs sort for this key: the SQL backends put them last always, MongoDB first when ascending. */
    default boolean nullsFirst(SortKey key) {
        return false;
    }

    @Override
    void close();
}
