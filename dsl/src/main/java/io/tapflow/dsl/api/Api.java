package io.tapflow.dsl.api;

import io.tapflow.dsl.TableRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only REST API over one table or collection, built as one fluent chain:
 * <pre>{@code
 * Api.named("customers").readFrom(pg.table("customer"))
 *     .fields("id", "name", "country", "balance")
 *     .filterable("country", "balance").sortable("balance")
 *     .param("min_balance", "balance", "gte");
 * }</pre>
 * Immutable: each method returns a new definition. {@code key} is empty to use the table's primary key, and
 * {@code updatedColumn} names an indexed column the {@code /changes} stream polls, {@code changesFrom} a Kafka topic it
 * reads instead (deletes included); both null: no change stream.
 */
public record Api(String name, String datasource, String table, List<String> fields, List<String> filterable,
                  List<String> sortable, List<ApiParam> params, List<String> key, String updatedColumn, ApiTopic changesFrom)
        implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Api {
        fields = copy(fields);
        filterable = copy(filterable);
        sortable = copy(sortable);
        params = params == null ? List.of() : List.copyOf(params);
        key = copy(key);
    }

    public static Api named(String name) {
        return new Api(name, null, null, List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
    }

    public Api readFrom(TableRef table) {
        return new Api(name, table.datasource(), table.table(), fields, filterable, sortable, params, key, updatedColumn, changesFrom);
    }

    /** The fields the API returns (and the only ones a request may name). */
    public Api fields(String... names) {
        return new Api(name, datasource, table, List.of(names), filterable, sortable, params, key, updatedColumn, changesFrom);
    }

    public Api filterable(String... names) {
        return new Api(name, datasource, table, fields, List.of(names), sortable, params, key, updatedColumn, changesFrom);
    }

    public Api sortable(String... names) {
        return new Api(name, datasource, table, fields, filterable, List.of(names), params, key, updatedColumn, changesFrom);
    }

    /** Adds a named parameter: {@code ?<name>=v} filters {@code <field> <op> v}. */
    public Api param(String paramName, String field, String op) {
        List<ApiParam> next = new ArrayList<>(params);
        next.add(new ApiParam(paramName, field, op));
        return new Api(name, datasource, table, fields, filterable, sortable, next, key, updatedColumn, changesFrom);
    }

    /** The fields that identify one row for {@code GET /api/<name>/<key>}; default: the table's primary key. */
    public Api key(String... names) {
        return new Api(name, datasource, table, fields, filterable, sortable, params, List.of(names), updatedColumn, changesFrom);
    }

    /** The indexed column that records when a row last changed; enables {@code GET /api/<name>/changes}. */
    public Api changesBy(String column) {
        return new Api(name, datasource, table, fields, filterable, sortable, params, key, column, changesFrom);
    }

    /**
     * The Kafka topic ({@code kafka-datasource.topic}) that carries this table's changes, e.g. the topic a pipeline
     * reads into the table or writes beside it: {@code GET /api/<name>/changes} then streams its inserts, updates
     * and deletes.
     */
    public Api changesFrom(TableRef topic) {
        return new Api(name, datasource, table, fields, filterable, sortable, params, key, updatedColumn,
                new ApiTopic(topic.datasource(), topic.table()));
    }

    private static List<String> copy(List<String> names) {
        return names == null ? List.of() : List.copyOf(names);
    }
}
