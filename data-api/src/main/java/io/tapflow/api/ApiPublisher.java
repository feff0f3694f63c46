package io.tapflow.api;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.api.Api;
import io.tapflow.dsl.api.ApiValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks an API against its datasource and table: the datasource exists and can serve APIs, the table exists, every
 * declared field is one of its columns, filter and sort fields have comparable types, and there is a key. Every
 * problem is reported at once, before anything is published or served.
 */
public final class ApiPublisher {
    private final Map<String, DataSource> datasources;
    private final Backends backends;

    public ApiPublisher(Map<String, DataSource> datasources, Backends backends) {
        this.datasources = datasources;
        this.backends = backends;
    }

    public PublishedApi check(Api api) {
        List<String> problems = new ArrayList<>(ApiValidator.problems(api));
        PublishedApi published = problems.isEmpty() ? checkTable(api, problems) : null;
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("api '" + api.name() + "'", problems);
        }
        return published;
    }

    private PublishedApi checkTable(Api api, List<String> problems) {
        DataSource ds = datasources.get(api.datasource());
        if (ds == null) {
            problems.add("unknown datasource '" + api.datasource() + "'; known datasources: "
                    + (datasources.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(datasources.keySet()))));
            return null;
        }
        if (!Backends.TYPES.contains(Backends.typeOf(ds))) {
            problems.add("datasource '" + ds.name() + "' is " + ds.type() + "; APIs can be served from "
                    + String.join(", ", new TreeSet<>(Backends.TYPES)));
            return null;
        }
        Backend backend = backends.of(ds);
        Optional<TableSchema> schema;
        try {
            schema = backend.describe(api.table());
        } catch (ProblemException e) {
            problems.add("cannot read datasource '" + ds.name() + "' to check table '" + api.table() + "'; is it running?");
            return null;
        }
        if (schema.isEmpty()) {
            problems.add("datasource '" + ds.name() + "' has no table '" + api.table() + "'");
            return null;
        }
        TableSchema table = schema.get();
        for (String f : api.fields()) {
            if (table.column(f) == null) {
                problems.add("field '" + f + "' is not a column of " + ds.name() + "." + api.table() + "; its columns: "
                        + String.join(", ", table.columns().keySet()));
            }
        }
        List<String> compared = new ArrayList<>(api.filterable());
        compared.addAll(api.sortable());
        api.params().forEach(p -> compared.add(p.field()));
        for (String f : new TreeSet<>(compared)) {
            Column c = table.column(f);
            if (c != null && !c.type().comparable()) {
                problems.add("field '" + f + "' (" + c.databaseType() + ") cannot be filtered or sorted; only numbers, text, "
                        + "booleans, dates and times can");
            }
        }
        List<String> key = api.key().isEmpty() ? table.primaryKey() : api.key();
        if (key.isEmpty()) {
            problems.add("table '" + api.table() + "' has no primary key; name the fields that identify a row with key(...)");
        } else if (!api.fields().containsAll(key)) {
            problems.add("key " + key + " must be among the fields " + api.fields());
        }
        if (api.updatedColumn() != null && table.column(api.updatedColumn()) == null) {
            problems.add("changes_by column '" + api.updatedColumn() + "' is not a column of " + ds.name() + "." + api.table());
        }
        return new PublishedApi(api, table, backend, key, changesFrom(api, problems));
    }

    /** The Kafka datasource of the API's change topic, checked: it is a Kafka datasource and the topic exists. */
    private DataSource changesFrom(Api api, List<String> problems) {
        if (api.changesFrom() == null) {
            return null;
        }
        DataSource kafka = datasources.get(api.changesFrom().datasource());
        if (kafka == null || !Backends.typeOf(kafka).equals("kafka")) {
            problems.add("changes_from('" + api.changesFrom() + "'): " + (kafka == null ? "unknown datasource '"
                    + api.changesFrom().datasource() + "'" : "datasource '" + kafka.name() + "' is " + kafka.type())
                    + "; name a topic of a Kafka datasource as 'datasource.topic'");
            return null;
        }
        DataSource resolved = kafka.resolved();
        try {
            if (!TopicChangeStream.topicExists(resolved, api.changesFrom().topic())) {
                problems.add("changes_from('" + api.changesFrom() + "'): Kafka datasource '" + kafka.name() + "' has no topic '"
                        + api.changesFrom().topic() + "'");
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            problems.add("changes_from('" + api.changesFrom() + "'): cannot reach Kafka datasource '" + kafka.name()
                    + "' to check the topic; is it running?");
        }
        return resolved;
    }
}
