package io.tapflow.flink;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * The customer table of the end-to-end tests: how to fill it, change it, and read it back from MariaDB, PostgreSQL
 * and MongoDB as comparable rows (every column, normalized to text by type; times to millisecond because BSON dates
 * hold milliseconds).
 */
final class CustomerTables {
    static final String DDL = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200), "
            + "balance DECIMAL(12,2), score DOUBLE, created DATETIME(3), last_login TIMESTAMP(3) NULL, note TEXT, "
            + "status ENUM('new','active','gone'))";
    private static final String INSERT = "INSERT INTO customer VALUES (?,?,?,?,?,?,?,?,?)";
    private static final String[] STATUS = {"new", "active", "gone"};

    private CustomerTables() {}

    static void insertRows(Connection c, int fromId, int toId, Random random) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int id = fromId; id <= toId; id++) {
                bindRow(ps, id, random);
                ps.addBatch();
                if (id % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void bindRow(PreparedStatement ps, int id, Random random) throws SQLException {
        ps.setInt(1, id);
        ps.setString(2, "customer " + id + (id % 7 == 0 ? " 😀" : ""));
        ps.setString(3, id % 11 == 0 ? null : "c" + id + "@example.com");
        ps.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
        ps.setDouble(5, random.nextDouble() * 100);
        ps.setObject(6, LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(random.nextInt(100_000_000)).plusNanos(random.nextInt(1000) * 1_000_000L));
        ps.setObject(7, id % 5 == 0 ? null : LocalDateTime.of(2023, 6, 1, 0, 0).plusSeconds(random.nextInt(10_000_000)));
        ps.setString(8, id % 3 == 0 ? null : "note " + Long.toHexString(random.nextLong()));
        ps.setString(9, STATUS[random.nextInt(STATUS.length)]);
    }

    /**
     * Applies one random change; ids above {@code nextId} are new. Returns the next free id.
     * Rows with id below {@code protectedBelow} are never touched.
     */
    static int randomChange(Connection c, Random random, int nextId, int protectedBelow) throws SQLException {
        int kind = random.nextInt(10);
        try (Statement s = c.createStatement()) {
            if (kind < 4) {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    bindRow(ps, nextId, random);
                    ps.executeUpdate();
                }
                return nextId + 1;
            }
            int id = protectedBelow + random.nextInt(Math.max(1, nextId - protectedBelow));
            if (kind < 8) {
                s.executeUpdate("UPDATE customer SET balance = balance + 1.25, score = " + random.nextDouble()
                        + ", note = CONCAT('updated ', id), status = 'active', last_login = NOW(3) WHERE id = " + id);
            } else {
                s.executeUpdate("DELETE FROM customer WHERE id = " + id);
            }
        }
        return nextId;
    }

    static Map<Integer, Map<String, String>> readMariaDb(String database) throws SQLException {
        Map<Integer, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM customer")) {
            while (rs.next()) {
                // The server and the connection both run in UTC, so TIMESTAMP read as wall-clock is UTC.
                rows.put(rs.getInt("id"), row(rs.getInt("id"), rs.getString("name"), rs.getString("email"),
                        rs.getBigDecimal("balance"), (Double) rs.getObject("score"), rs.getObject("created", LocalDateTime.class),
                        rs.getObject("last_login", LocalDateTime.class), rs.getString("note"), rs.getString("status")));
            }
        }
        return rows;
    }

    /** Creates the customer table in a fresh MariaDB database and fills it with rows 1..rows. */
    static void createWithRows(String database, int rows, Random random) throws SQLException {
        TestDatabases.mysql(database, DDL);
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database)) {
            insertRows(c, 1, rows, random);
        }
    }

    static long countPostgres(String database, String table) {
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM public.\"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The target table's rows by id; empty while the table does not exist yet. */
    static Map<Integer, Map<String, String>> readPostgres(String database, String table) {
        Map<Integer, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM public.\"" + table + "\"")) {
            while (rs.next()) {
                OffsetDateTime login = rs.getObject("last_login", OffsetDateTime.class);
                rows.put(rs.getInt("id"), row(rs.getInt("id"), rs.getString("name"), rs.getString("email"),
                        rs.getBigDecimal("balance"), (Double) rs.getObject("score"), rs.getObject("created", LocalDateTime.class),
                        login == null ? null : login.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(),
                        rs.getString("note"), rs.getString("status")));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return rows;
            }
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static Map<Integer, Map<String, String>> readMongo(String database, String collection) {
        Map<Integer, Map<String, String>> rows = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(database).getCollection(collection).find()) {
                int id = ((Number) d.get("_id")).intValue();
                rows.put(id, row(d.getInteger("id"), d.getString("name"), d.getString("email"),
                        d.get("balance", Decimal128.class) == null ? null : d.get("balance", Decimal128.class).bigDecimalValue(),
                        d.getDouble("score"), utc(d.getDate("created")), utc(d.getDate("last_login")),
                        d.getString("note"), d.getString("status")));
            }
        }
        return rows;
    }

    private static LocalDateTime utc(Date date) {
        return date == null ? null : LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
    }

    private static Map<String, String> row(Integer id, String name, String email, BigDecimal balance, Double score,
                                           LocalDateTime created, LocalDateTime lastLogin, String note, String status) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", String.valueOf(id));
        row.put("name", name);
        row.put("email", email);
        row.put("balance", balance == null ? null : balance.stripTrailingZeros().toPlainString());
        row.put("score", String.valueOf(score));
        row.put("created", created == null ? null : created.truncatedTo(ChronoUnit.MILLIS).toString());
        row.put("last_login", lastLogin == null ? null : lastLogin.truncatedTo(ChronoUnit.MILLIS).toString());
        row.put("note", note);
        row.put("status", status);
        return row;
    }
}
