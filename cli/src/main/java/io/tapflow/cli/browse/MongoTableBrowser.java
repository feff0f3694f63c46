package io.tapflow.cli.browse;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.sink.mongo.MongoTargets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/** Browses the collections of a MongoDB database; its "columns" are the fields of a sample of documents. */
final class MongoTableBrowser implements TableBrowser {
    static final int SAMPLE = 100;
    private final DataSource ds;

    MongoTableBrowser(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
    }

    @Override
    public List<String> tables() {
        return MongoTargets.listCollections(ds);
    }

    @Override
    public List<Column> columns(String table) {
        TableBrowser.require(ds, table, tables());
        // Documents need not share fields or types: show every field of the sample with every type seen for it.
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        for (Document d : documents(table, SAMPLE)) {
            d.forEach((field, value) -> fields.computeIfAbsent(field, f -> new LinkedHashSet<>()).add(typeOf(value)));
        }
        List<Column> columns = new ArrayList<>();
        fields.forEach((field, types) -> columns.add(new Column(field, String.join("|", types), field.equals("_id"))));
        return columns;
    }

    @Override
    public List<Map<String, String>> peek(String table, int n) {
        TableBrowser.require(ds, table, tables());
        List<Map<String, String>> rows = new ArrayList<>();
        for (Document d : documents(table, n)) {
            Map<String, String> row = new LinkedHashMap<>();
            d.forEach((field, value) -> row.put(field, text(value)));
            rows.add(row);
        }
        return rows;
    }

    @Override
    public long count(String table) {
        TableBrowser.require(ds, table, tables());
        return MongoTargets.withDatabase(ds, db -> db.getCollection(table).countDocuments());
    }

    private List<Document> documents(String table, int n) {
        return MongoTargets.withDatabase(ds, db -> db.getCollection(table).find().limit(n).into(new ArrayList<>()));
    }


    /** The BSON type name of a value, as MongoDB's $type calls it. */
    static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        return switch (value.getClass().getSimpleName()) {
            case "String" -> "string";
            case "Integer" -> "int";
            case "Long" -> "long";
            case "Double" -> "double";
            case "Boolean" -> "bool";
            case "Date" -> "date";
            case "ObjectId" -> "objectId";
            case "Decimal128" -> "decimal";
            case "Document" -> "object";
            case "Binary" -> "binData";
            default -> value instanceof List<?> ? "array" : value.getClass().getSimpleName();
        };
    }

    /** Nested documents and arrays as JSON (Document's own toString is Java-ish); scalars as peek prints them. */
    private static String text(Object value) {
        if (value instanceof Document d) {
            return d.toJson();
        }
        if (value instanceof List<?>) {
            String json = new Document("v", value).toJson();
            return json.substring("{\"v\": ".length(), json.length() - 1);
        }
        return value == null ? "null" : PeekValues.text(value);
    }
}
