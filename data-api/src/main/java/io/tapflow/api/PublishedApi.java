package io.tapflow.api;

import io.tapflow.dsl.api.Api;
import java.util.List;

/** An API checked against its table: the definition, the table's schema, the backend that reads it and the key fields. */
public record PublishedApi(Api api, TableSchema schema, Backend backend, List<String> key) {
    public PublishedApi {
        key = List.copyOf(key);
    }

    public String name() {
        return api.name();
    }

    public Column column(String field) {
        return schema.column(field);
    }
}
