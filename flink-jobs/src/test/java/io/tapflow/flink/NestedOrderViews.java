package io.tapflow.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.servers.SharedServers;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * The nested orders view, two lookups deep: each order embeds its customer and its items (an array by item_id), each
 * item its product. One line of text per order id, computed by SQL joins of the source tables (MariaDB or PostgreSQL:
 * what the target must converge to) or read from a MongoDB collection or a PostgreSQL table with jsonb columns.
 * Decimals compare by value (MongoDB holds Decimal128, jsonb the exact text).
 */
final class NestedOrderViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String[] TABLES = {
        "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(40))",
        "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NULL, note VARCHAR(40))",
        "CREATE TABLE items (item_id INT PRIMARY KEY, order_id INT NULL, product_id INT NULL, qty INT)",
        "CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2))"};

    private NestedOrderViews() {}

    /** The SQL join of the source tables on a connection to their database, by order id. */
    static Map<Integer, String> expected(Connection c) {
        Map<Integer, String> out = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            Map<Integer, List<String>> items = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT i.item_id, i.order_id, i.product_id, i.qty, p.id, p.name, p.price "
                    + "FROM items i LEFT JOIN product p ON p.id = i.product_id WHERE i.order_id IS NOT NULL ORDER BY i.order_id, i.item_id")) {
                while (rs.next()) {
                    String product = rs.getObject(5) == null ? "null" : product(rs.getInt(5), rs.getString(6), rs.getBigDecimal(7));
                    items.computeIfAbsent(rs.getInt(2), k -> new ArrayList<>()).add(item(rs.getInt(1), rs.getInt(2),
                            (Integer) rs.getObject(3), (Integer) rs.getObject(4), product));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT o.id, o.customer_id, o.note, c.id, c.name FROM orders o "
                    + "LEFT JOIN customer c ON c.id = o.customer_id")) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    String customer = rs.getObject(4) == null ? "null" : "{" + rs.getInt(4) + "," + rs.getString(5) + "}";
                    out.put(id, order(id, (Integer) rs.getObject(2), rs.getString(3), customer, items.getOrDefault(id, List.of())));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The documents of a MongoDB collection the pipeline writes. */
    static Map<Integer, String> fromMongo(String db, String collection) {
        Map<Integer, String> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection(collection).find()) {
                List<String> items = new ArrayList<>();
                for (Document i : d.getList("items", Document.class, List.of())) {
                    items.add(item(i, k -> i.get(k), NestedOrderViews::mongoProduct));
                }
                Document c = d.get("customer", Document.class);
                String customer = c == null ? "null" : "{" + c.get("id") + "," + c.get("name") + "}";
                int id = d.getInteger("id");
                out.put(id, order(id, d.getInteger("customer_id"), d.getString("note"), customer, items));
            }
        }
        return out;
    }

    /** The rows of a PostgreSQL table with jsonb columns customer and items. */
    static Map<Integer, String> fromPostgresJson(String db, String table) {
        Map<Integer, String> out = new TreeMap<>();
        for (Map<String, String> row : PgRows.read(db, table, "id")) {
            List<String> items = new ArrayList<>();
            JsonNode array = parse(row.get("items"));
            if (array != null) {
                for (JsonNode i : array) {
                    items.add(item(i, k -> json(i.get(k)), NestedOrderViews::jsonProduct));
                }
            }
            JsonNode c = parse(row.get("customer"));
            String customer = c == null || c.isNull() ? "null" : "{" + json(c.get("id")) + "," + json(c.get("name")) + "}";
            int id = Integer.parseInt(row.get("id"));
            out.put(id, order(id, row.get("customer_id") == null ? null : Integer.valueOf(row.get("customer_id")), row.get("note"),
                    customer, items));
        }
        return out;
    }

    private static <T> String item(T element, Function<String, Object> field, Function<T, String> product) {
        return "{" + field.apply("item_id") + "," + field.apply("order_id") + "," + field.apply("product_id") + ","
                + field.apply("qty") + "," + product.apply(element) + "}";
    }

    private static String mongoProduct(Document item) {
        Document p = item.get("product", Document.class);
        return p == null ? "null" : product(p.getInteger("id"), p.getString("name"),
                p.get("price") == null ? null : p.get("price", Decimal128.class).bigDecimalValue());
    }

    private static String jsonProduct(JsonNode item) {
        JsonNode p = item.get("product");
        return p == null || p.isNull() ? "null" : product(p.get("id").asInt(), (String) json(p.get("name")),
                p.get("price").isNull() ? null : new BigDecimal(p.get("price").asText()));
    }

    private static String item(int itemId, int orderId, Integer productId, Integer qty, String product) {
        return "{" + itemId + "," + orderId + "," + productId + "," + qty + "," + product + "}";
    }

    private static String product(int id, String name, BigDecimal price) {
        return "{" + id + "," + name + "," + (price == null ? null : price.stripTrailingZeros().toPlainString()) + "}";
    }

    private static String order(int id, Integer customerId, String note, String customer, List<String> items) {
        return id + " customer_id=" + customerId + " note=" + note + " customer=" + customer + " items=" + items;
    }

    /** A JSON scalar as the SQL side prints it: null, an integer or a string. */
    private static Object json(JsonNode node) {
        return node == null || node.isNull() ? null : node.isNumber() ? node.numberValue() : node.asText();
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
