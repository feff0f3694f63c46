package io.tapflow.api;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.api.Api;
import java.util.List;

/**
 * An API checked against its table: the definition, the table's schema, the backend that reads it, the key fields,
 * and the Kafka datasource of its {@code changes_from} topic (resolved; null without one).
 */
public record PublishedApi(Api api, TableSchema schema, Backend backend, List<String> key, DataSource changesFrom) {
    public PublishedApi {
        key = List.copyOf(key);
    }

    public PublishedApi(Api api, TableSchema schema, Backend backend, List<String> key) {
        this(api, schema, backend, key, null);
    }

    public String name() {
        return api.name();
    }

    public Column column(String field) {
        return schema.column(field);
    }
}
