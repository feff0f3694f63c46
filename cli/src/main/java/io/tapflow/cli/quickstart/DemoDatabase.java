package io.tapflow.cli.quickstart;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.MariaDbServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The quickstart's demo data: the customer table, its live changes, and watching them arrive in every target. */
final class DemoDatabase {
    private static final String[] CITIES = {"Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi", "Lima"};
    private final MariaDbServer mariaDb;
    private final List<DemoTarget> targets;
    private final Random random = new Random();

    DemoDatabase(MariaDbServer mariaDb, List<DemoTarget> targets) {
        this.mariaDb = mariaDb;
        this.targets = List.copyOf(targets);
    }

    void createCustomers(int rows) throws SQLException {
        mariaDb.createDatabase("demo");
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

    void awaitSnapshot(int rows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (DemoTarget target : targets) {
            while (target.rows() < rows) {
                if (System.nanoTime() > deadline) {
                    throw new TapflowException("the snapshot did not reach " + target.name() + " within " + timeout.toSeconds()
                            + " s; see the log under $TAPFLOW_HOME/logs");
                }
                Thread.sleep(100);
            }
        }
    }

    /** One committed change and when each target showed it, in milliseconds after the commit. */
    record Arrival(String change, Map<String, Long> latencyMs) {
        String describe(int n) {
            StringBuilder line = new StringBuilder(String.format("#%-4d %-34s ->", n, change));
            String separator = " ";
            for (Map.Entry<String, Long> e : latencyMs.entrySet()) {
                line.append(separator).append(String.format("%s %4d ms", e.getKey(), e.getValue()));
                separator = " | ";
            }
            return line.toString();
        }
    }

    /** Makes a random insert, update or delete, then waits until every target shows it. */
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
        return new Arrival(description, awaitTargets(id, marker, deleted, committed, timeout));
    }

    /** Checks every target that does not show the change yet, round after round, noting when each first does. */
    private Map<String, Long> awaitTargets(int id, String marker, boolean deleted, long committed, Duration timeout)
            throws Exception {
        Map<String, Long> latencies = new LinkedHashMap<>();
        List<DemoTarget> waiting = new ArrayList<>(targets);
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                DemoTarget target = it.next();
                if (target.shows(id, marker, deleted)) {
                    latencies.put(target.label(), (System.nanoTime() - committed) / 1_000_000);
                    it.remove();
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() - committed > timeout.toNanos()) {
                throw new TapflowException("a change did not reach " + waiting.get(0).name() + " within "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(1);
        }
        Map<String, Long> inTargetOrder = new LinkedHashMap<>();
        targets.forEach(t -> inTargetOrder.put(t.label(), latencies.get(t.label())));
        return inTargetOrder;
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
