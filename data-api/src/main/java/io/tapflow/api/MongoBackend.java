package io.tapflow.api;

import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.tapflow.dsl.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.BsonType;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;

/**
 * Reads MongoDB collections. Every filter is built with the driver's typed {@code Filters} on a declared field name,
 * so a request can never supply an operator, a {@code $where} or a field path. A collection has no schema: the field
 * types are those of a sample of its documents, and {@code _id} is the key.
 */
final class MongoBackend implements Backend {
    private static final int SAMPLE = 100;
    private final MongoClient client;
    private final MongoDatabase database;
    private final String datasourceName;
    private final int timeoutSeconds;

    MongoBackend(DataSource ds, int timeoutSeconds) {
        this.client = MongoClients.create(ds.get("uri"));
        this.database = client.getDatabase(ds.get("database"));
        this.datasourceName = ds.name();
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public Optional<TableSchema> describe(String table) {
        try {
            List<String> names = database.listCollectionNames().into(new ArrayList<>());
            if (!names.contains(table)) {
                return Optional.empty();
            }
            Map<String, ColumnType> types = new LinkedHashMap<>();
            Map<String, String> bsonTypes = new LinkedHashMap<>();
            for (Document d : database.getCollection(table).find().limit(SAMPLE).maxTime(timeoutSeconds, TimeUnit.SECONDS)) {
                d.toBsonDocument().forEach((field, value) -> {
                    if (value.getBsonType() != BsonType.NULL) {
                        ColumnType t = typeOf(value.getBsonType());
                        ColumnType known = types.putIfAbsent(field, t);
                        if (known != null && known != t) {
                            types.put(field, ColumnType.OTHER); // mixed types: returned as they are, not filterable
                        }
                        bsonTypes.putIfAbsent(field, value.getBsonType().name().toLowerCase());
                    } else {
                        types.putIfAbsent(field, null);
                    }
                });
            }
            Map<String, Column> columns = new LinkedHashMap<>();
            types.forEach((field, t) -> columns.put(field, new Column(field, t == null ? ColumnType.OTHER : t, !field.equals("_id"),
                    bsonTypes.getOrDefault(field, "null"))));
            return Optional.of(new TableSchema(table, columns, List.of("_id")));
        } catch (MongoException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Map<String, Object>> find(TableSchema schema, ReadQuery q) {
        List<Bson> sorts = new ArrayList<>();
        for (SortKey k : q.order()) {
            sorts.add(k.descending() ? Sorts.descending(k.field()) : Sorts.ascending(k.field()));
        }
        try {
            var cursor = collection(schema).find(filter(q.where())).projection(Projections.include(q.columns()))
                    .sort(Sorts.orderBy(sorts)).limit(q.limit()).skip((int) q.offset())
                    .maxTime(timeoutSeconds, TimeUnit.SECONDS);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Document d : cursor) {
                Map<String, Object> row = new LinkedHashMap<>();
                q.columns().forEach(c -> row.put(c, d.get(c)));
                rows.add(row);
            }
            return rows;
        } catch (MongoExecutionTimeoutException e) {
            throw new ProblemException(504, "Query Timeout", "the query took longer than " + timeoutSeconds + " s; narrow the filter");
        } catch (MongoException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long count(TableSchema schema, Condition where) {
        try {
            return collection(schema).countDocuments(filter(where),
                    new com.mongodb.client.model.CountOptions().maxTime(timeoutSeconds, TimeUnit.SECONDS));
        } catch (MongoException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private MongoCollection<Document> collection(TableSchema schema) {
        return database.getCollection(schema.table());
    }

    private ProblemException unavailable(MongoException e) {
        ApiLog.LOG.warn("datasource '{}' failed: code {} {}", datasourceName, e.getCode(), e.getClass().getSimpleName());
        return new ProblemException(503, "Service Unavailable", "the datasource behind this API did not answer; try again later");
    }

    /** MongoDB sorts a missing or null field first in ascending order and last in descending order. */
    @Override
    public boolean nullsFirst(SortKey key) {
        return !key.descending();
    }

    static Bson filter(Condition c) {
        if (c instanceof Condition.Compare cmp) {
            Object v = bson(cmp.value());
            return switch (cmp.op()) {
                case EQ -> Filters.eq(cmp.field(), v);
                // SQL's <> never matches NULL; the same here, so that both kinds of backend answer alike.
                case NEQ -> Filters.and(Filters.ne(cmp.field(), v), Filters.ne(cmp.field(), null));
                case GT -> Filters.gt(cmp.field(), v);
                case GTE -> Filters.gte(cmp.field(), v);
                case LT -> Filters.lt(cmp.field(), v);
                case LTE -> Filters.lte(cmp.field(), v);
                case LIKE -> Filters.regex(cmp.field(), regex((String) cmp.value()), "s");
                default -> throw new IllegalArgumentException(cmp.op().token());
            };
        }
        if (c instanceof Condition.In in) {
            return Filters.in(in.field(), in.values().stream().map(MongoBackend::bson).toList());
        }
        if (c instanceof Condition.IsNull n) {
            return n.isNull() ? Filters.eq(n.field(), null) : Filters.ne(n.field(), null);
        }
        if (c instanceof Condition.All all) {
            return all.parts().isEmpty() ? new Document() : Filters.and(all.parts().stream().map(MongoBackend::filter).toList());
        }
        Condition.Any any = (Condition.Any) c;
        // An empty $or is an error in MongoDB: "nothing matches" is an _id that is never null.
        return any.parts().isEmpty() ? Filters.eq("_id", null) : Filters.or(any.parts().stream().map(MongoBackend::filter).toList());
    }

    /** Typed BSON for a parsed request value: decimals as Decimal128, instants and date-times as BSON dates. */
    private static Object bson(Object v) {
        if (v instanceof BigDecimal d) {
            return new Decimal128(d);
        }
        if (v instanceof OffsetDateTime t) {
            return Date.from(t.toInstant());
        }
        if (v instanceof LocalDateTime t) {
            return Date.from(t.toInstant(ZoneOffset.UTC));
        }
        if (v instanceof LocalDate d) {
            return Date.from(d.atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        return v;
    }

    /** The {@code *} wildcard pattern as an anchored regular expression, every other character literal. */
    static String regex(String pattern) {
        StringBuilder out = new StringBuilder("^");
        for (char ch : pattern.toCharArray()) {
            if (ch == '*') {
                out.append(".*");
            } else if ("\\^$.|?+()[]{}".indexOf(ch) >= 0) {
                out.append('\\').append(ch);
            } else {
                out.append(ch);
            }
        }
        return out.append('$').toString();
    }

    private static ColumnType typeOf(BsonType t) {
        return switch (t) {
            case INT32, INT64 -> ColumnType.INTEGER;
            case DECIMAL128 -> ColumnType.DECIMAL;
            case DOUBLE -> ColumnType.DOUBLE;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case STRING -> ColumnType.STRING;
            case DATE_TIME -> ColumnType.TIMESTAMP;
            case OBJECT_ID -> ColumnType.OBJECT_ID;
            default -> ColumnType.OTHER;
        };
    }
}
