package io.tapflow.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.MongoTestServer;
import io.tapflow.servers.PostgresServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import org.bson.Document;

/** The quickstart's demo data: the customer table, its live changes, and watching them arrive in both targets. */
final class DemoDatabase {
    private static final String[] CITIES = {"Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi", "Lima"};
    private final MariaDbServer mariaDb;
    private final PostgresServer postgres;
    private final MongoTestServer mongo;
    private final Random random = new Random();

    DemoDatabase(MariaDbServer mariaDb, PostgresServer postgres, MongoTestServer mongo) {
        this.mariaDb = mariaDb;
        this.postgres = postgres;
        this.mongo = mongo;
    }

    void createCustomers(int rows) throws SQLException {
        mariaDb.createDatabase("demo");
        postgres.createDatabase("demo");
        try (Connection c = mariaDb.connectAsAdmin("demo"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200), city VARCHAR(50), balance DECIMAL(10,2), note VARCHAR(100), created DATETIME(3))");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO customer (name, email, city, balance, note, created) VALUES (?, ?, ?, ?, 'initial', NOW(3))")) {
                for (int i = 1; i <= rows; i++) {
                    ps.setString(1, "Customer " + i);
                    ps.setString(2, "customer" + i + "@example.com");
                    ps.setString(3, CITIES[i % CITIES.length]);
                    ps.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(1_000_000), 2));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    DataSource mysqlDataSource() {
        return DataSource.of("mysql", "demo-mysql").host(mariaDb.host()).port(mariaDb.port())
                .username(mariaDb.cdcUser()).password(mariaDb.cdcPassword()).database("demo");
    }

    DataSource postgresDataSource() {
        return DataSource.of("postgres", "demo-postgres").host(postgres.host()).port(postgres.port())
                .username(postgres.user()).password(postgres.password()).database("demo");
    }

    DataSource mongoDataSource() {
        return DataSource.of("mongodb", "demo-mongodb").uri(mongo.connectionString()).database("demo");
    }

    void awaitSnapshot(int rows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> customers = client.getDatabase("demo").getCollection("customer");
            while (pgCount() < rows || customers.countDocuments() < rows) {
                if (System.nanoTime() > deadline) {
                    throw new TapflowException("the snapshot did not reach the targets within " + timeout.toSeconds()
                            + " s; see the log under $TAPFLOW_HOME/logs");
                }
                Thread.sleep(100);
            }
        }
    }

    /** One committed change and when each target showed it. */
    record Arrival(String change, long postgresMs, long mongoMs) {
        String describe(int n) {
            return String.format("#%-4d %-34s -> PostgreSQL %4d ms | MongoDB (emulator) %4d ms", n, change, postgresMs, mongoMs);
        }
    }

    /** Makes a random insert, update or delete, then waits until both targets show it. */
    Arrival applyRandomChangeAndWait(int n, Duration timeout) throws Exception {
        String marker = "change " + n;
        int kind = random.nextInt(10);
        int id;
        String description;
        boolean deleted = false;
        long committed;
        try (Connection c = mariaDb.connectAsAdmin("demo"); Statement s = c.createStatement()) {
            if (kind < 4) {
                s.executeUpdate("INSERT INTO customer (name, email, city, balance, note, created) VALUES ('New customer', "
                        + "'new@example.com', 'Berlin', 10.00, '" + marker + "', NOW(3))", Statement.RETURN_GENERATED_KEYS);
                committed = System.nanoTime();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getInt(1);
                }
                description = "INSERT customer id=" + id;
            } else {
                id = anyId(s);
                if (kind < 8) {
                    s.executeUpdate("UPDATE customer SET balance = balance + 5, note = '" + marker + "' WHERE id = " + id);
                    description = "UPDATE customer id=" + id + " balance+5";
                } else {
                    s.executeUpdate("DELETE FROM customer WHERE id = " + id);
                    description = "DELETE customer id=" + id;
                    deleted = true;
                }
                committed = System.nanoTime();
            }
        }
        long pgMs = awaitPostgres(id, marker, deleted, committed, timeout);
        long mongoMs = awaitMongo(id, marker, deleted, committed, timeout);
        return new Arrival(description, pgMs, mongoMs);
    }

    private long awaitPostgres(int id, String marker, boolean deleted, long committed, Duration timeout) throws Exception {
        try (Connection c = postgres.connect("demo");
             PreparedStatement ps = c.prepareStatement("SELECT note FROM public.customer WHERE id = ?")) {
            ps.setInt(1, id);
            return poll(committed, timeout, () -> {
                try (ResultSet rs = ps.executeQuery()) {
                    return deleted ? !rs.next() : rs.next() && marker.equals(rs.getString(1));
                }
            });
        }
    }

    private long awaitMongo(int id, String marker, boolean deleted, long committed, Duration timeout) throws Exception {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> customers = client.getDatabase("demo").getCollection("customer");
            return poll(committed, timeout, () -> {
                Document d = customers.find(Filters.eq("_id", id)).first();
                return deleted ? d == null : d != null && marker.equals(d.getString("note"));
            });
        }
    }

    /** Condition check that may throw. */
    private interface Check {
        boolean done() throws Exception;
    }

    private static long poll(long committed, Duration timeout, Check check) throws Exception {
        while (!check.done()) {
            if (System.nanoTime() - committed > timeout.toNanos()) {
                throw new TapflowException("a change did not reach the target within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - committed) / 1_000_000;
    }

    private int pgCount() throws SQLException {
        try (Connection c = postgres.connect("demo"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM public.customer")) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    private static int anyId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT id FROM customer ORDER BY RAND() LIMIT 1")) {
            if (!rs.next()) {
                throw new TapflowException("the demo table is empty");
            }
            return rs.getInt(1);
        }
    }
}
