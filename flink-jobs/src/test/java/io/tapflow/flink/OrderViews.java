package io.tapflow.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * The orders view of the lookup tests: each order with its customer embedded and its items as an array, as one line
 * of text per order id, computed from the MariaDB tables by SQL joins (what the target must converge to) and read from
 * a MongoDB collection or a PostgreSQL table (jsonb columns, or the customer flattened into {@code customer_*}).
 * Decimals are compared by value (trailing zeros stripped): MongoDB holds Decimal128, jsonb the exact text.
 *
 * <p>Tables: customer(id PK, name, balance DECIMAL(10,2)), orders(id PK, customer_id NULL, note),
 * order_items(item_id PK, order_id NULL, qty, price DECIMAL(10,2)).
 */
final class OrderViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderViews() {}

    static final String[] TABLES = {
        "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(40), balance DECIMAL(10,2))",
        "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NULL, note VARCHAR(40))",
        "CREATE TABLE order_items (item_id INT PRIMARY KEY, order_id INT NULL, qty INT, price DECIMAL(10,2))"};

    /** The SQL join of the source tables, by order id. */
    static Map<Integer, String> expected(String db) {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
            return expected(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SQL join of the source tables on a connection to their database (MariaDB or PostgreSQL), by order id. */
    static Map<Integer, String> expected(Connection c) {
        Map<Integer, String> out = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            Map<Integer, List<String>> items = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT item_id, order_id, qty, price FROM order_items "
                    + "WHERE order_id IS NOT NULL ORDER BY order_id, item_id")) {
                while (rs.next()) {
                    items.computeIfAbsent(rs.getInt(2), k -> new ArrayList<>()).add(item(rs.getInt(1), rs.getInt(2),
                            (Integer) rs.getObject(3), rs.getBigDecimal(4)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT o.id, o.customer_id, o.note, c.id, c.name, c.balance FROM orders o "
                    + "LEFT JOIN customer c ON c.id = o.customer_id")) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    String customer = rs.getObject(4) == null ? "null" : customer(rs.getInt(4), rs.getString(5), rs.getBigDecimal(6));
                    out.put(id, order(id, (Integer) rs.getObject(2), rs.getString(3), customer, items.getOrDefault(id, List.of())));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The documents of a MongoDB collection written by the pipeline (customer object, items array). */
    static Map<Integer, String> fromMongo(String db, String collection) {
        Map<Integer, String> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection(collection).find()) {
                Document c = d.get("customer", Document.class);
                String customer = c == null ? "null" : customer(c.getInteger("id"), c.getString("name"), decimal(c.get("balance")));
                List<String> items = new ArrayList<>();
                for (Document i : d.getList("items", Document.class)) {
                    items.add(item(i.getInteger("item_id"), i.getInteger("order_id"), i.getInteger("qty"), decimal(i.get("price"))));
                }
                int id = d.getInteger("id");
                out.put(id, order(id, d.getInteger("customer_id"), d.getString("note"), customer, items));
            }
        }
        return out;
    }

    /** The rows of a PostgreSQL table with jsonb columns customer and items. */
    static Map<Integer, String> fromPostgresJson(String db, String table) {
        return fromJsonColumns(PgRows.read(db, table, "id"));
    }

    /** The rows of a MySQL/MariaDB table with JSON columns customer and items. */
    static Map<Integer, String> fromMySqlJson(String db, String table) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, customer_id, note, customer, items FROM " + table)) {
            while (rs.next()) {
                Map<String, String> row = new java.util.HashMap<>();
                for (String column : List.of("id", "customer_id", "note", "customer", "items")) {
                    row.put(column, rs.getString(column));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) { // the table is not there yet
                return Map.of();
            }
            throw new IllegalStateException(e);
        }
        return fromJsonColumns(rows);
    }

    private static Map<Integer, String> fromJsonColumns(List<Map<String, String>> rows) {
        Map<Integer, String> out = new TreeMap<>();
        for (Map<String, String> row : rows) {
            JsonNode c = parse(row.get("customer"));
            String customer = c == null || c.isNull() ? "null"
                    : customer(c.get("id").asInt(), text(c.get("name")), decimal(text(c.get("balance"))));
            int id = Integer.parseInt(row.get("id"));
            out.put(id, order(id, integer(row.get("customer_id")), row.get("note"), customer, items(parse(row.get("items")))));
        }
        return out;
    }

    /** The rows of a PostgreSQL table with the customer flattened into c_id, customer_name, ... and items jsonb. */
    static Map<Integer, String> fromPostgresFlat(String db, String table) {
        Map<Integer, String> out = new TreeMap<>();
        for (Map<String, String> row : PgRows.read(db, table, "id")) {
            String customer = row.get("c_id") == null ? "null"
                    : customer(Integer.parseInt(row.get("c_id")), row.get("c_name"), decimal(row.get("c_balance")));
            int id = Integer.parseInt(row.get("id"));
            out.put(id, order(id, integer(row.get("customer_id")), row.get("note"), customer, items(parse(row.get("items")))));
        }
        return out;
    }

    private static List<String> items(JsonNode array) {
        List<String> items = new ArrayList<>();
        if (array != null) {
            for (JsonNode i : array) {
                items.add(item(i.get("item_id").asInt(), i.get("order_id").asInt(), i.get("qty").isNull() ? null : i.get("qty").asInt(),
                        decimal(text(i.get("price")))));
            }
        }
        return items;
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Integer integer(String text) {
        return text == null ? null : Integer.valueOf(text);
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Decimal128 d ? d.bigDecimalValue() : new BigDecimal(value.toString());
    }

    private static String order(int id, Integer customerId, String note, String customer, List<String> items) {
        return id + " customer_id=" + customerId + " note=" + note + " customer=" + customer + " items=" + items;
    }

    private static String customer(int id, String name, BigDecimal balance) {
        return "{" + id + "," + name + "," + plain(balance) + "}";
    }

    private static String item(int itemId, int orderId, Integer qty, BigDecimal price) {
        return "{" + itemId + "," + orderId + "," + qty + "," + plain(price) + "}";
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }
}
