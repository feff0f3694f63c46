package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TableRef;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MySQL's Sakila sample schema (six of its tables with their DDL as Sakila writes it: ENUM, SET, YEAR, BOOLEAN,
 * unsigned integers, DECIMAL, BLOB, GEOMETRY, TIMESTAMP with CURRENT_TIMESTAMP defaults; plus a stored and a virtual
 * generated column) replicated from MariaDB into PostgreSQL, MySQL and the MongoDB emulator. Every value of every row
 * is compared with the source's, after the snapshot and after inserts, updates and deletes on the change stream.
 */
class SakilaITCase {
    static final List<String> TABLES = List.of("language", "film", "address", "customer", "staff", "payment");
    private static final String LAST_UPDATE = "last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP";
    static final String[] DDL = {
        "CREATE TABLE language (language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT, name CHAR(20) NOT NULL, "
                + LAST_UPDATE + ", PRIMARY KEY (language_id))",
        "CREATE TABLE film (film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, title VARCHAR(128) NOT NULL, "
                + "description TEXT DEFAULT NULL, release_year YEAR DEFAULT NULL, language_id TINYINT UNSIGNED NOT NULL, "
                + "original_language_id TINYINT UNSIGNED DEFAULT NULL, rental_duration TINYINT UNSIGNED NOT NULL DEFAULT 3, "
                + "rental_rate DECIMAL(4,2) NOT NULL DEFAULT 4.99, length SMALLINT UNSIGNED DEFAULT NULL, "
                + "replacement_cost DECIMAL(5,2) NOT NULL DEFAULT 19.99, rating ENUM('G','PG','PG-13','R','NC-17') DEFAULT 'G', "
                + "special_features SET('Trailers','Commentaries','Deleted Scenes','Behind the Scenes') DEFAULT NULL, "
                + LAST_UPDATE + ", rental_total DECIMAL(6,2) AS (rental_rate * rental_duration) STORED, "
                + "title_length INT AS (CHAR_LENGTH(title)) VIRTUAL, PRIMARY KEY (film_id), KEY idx_title (title), "
                + "CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id))",
        "CREATE TABLE address (address_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, address VARCHAR(50) NOT NULL, "
                + "address2 VARCHAR(50) DEFAULT NULL, district VARCHAR(20) NOT NULL, city_id SMALLINT UNSIGNED NOT NULL, "
                + "postal_code VARCHAR(10) DEFAULT NULL, phone VARCHAR(20) NOT NULL, location GEOMETRY NOT NULL, "
                + LAST_UPDATE + ", PRIMARY KEY (address_id), SPATIAL KEY idx_location (location))",
        "CREATE TABLE customer (customer_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, store_id TINYINT UNSIGNED NOT NULL, "
                + "first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, email VARCHAR(50) DEFAULT NULL, "
                + "address_id SMALLINT UNSIGNED NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE, create_date DATETIME NOT NULL, "
                + "last_update TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (customer_id))",
        "CREATE TABLE staff (staff_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name VARCHAR(45) NOT NULL, "
                + "last_name VARCHAR(45) NOT NULL, address_id SMALLINT UNSIGNED NOT NULL, picture BLOB DEFAULT NULL, "
                + "email VARCHAR(50) DEFAULT NULL, store_id TINYINT UNSIGNED NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE, "
                + "username VARCHAR(16) NOT NULL, password VARCHAR(40) BINARY DEFAULT NULL, " + LAST_UPDATE
                + ", PRIMARY KEY (staff_id))",
        "CREATE TABLE payment (payment_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, customer_id SMALLINT UNSIGNED NOT NULL, "
                + "staff_id TINYINT UNSIGNED NOT NULL, rental_id INT DEFAULT NULL, amount DECIMAL(5,2) NOT NULL, "
                + "payment_date DATETIME NOT NULL, last_update TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
                + "PRIMARY KEY (payment_id))",
    };
    /** Sakila's own rows, plus the bounds of YEAR, an empty SET, a NULL ENUM and a picture holding every byte value. */
    static final String[] SNAPSHOT_ROWS = {
        "INSERT INTO language (language_id, name, last_update) VALUES (1, 'English', '2006-02-15 05:02:19'), "
                + "(2, 'Italian', '2006-02-15 05:02:19'), (3, 'Japanese', '2006-02-15 05:02:19')",
        "INSERT INTO film (film_id, title, description, release_year, language_id, original_language_id, rental_duration, "
                + "rental_rate, length, replacement_cost, rating, special_features, last_update) VALUES "
                + "(1, 'ACADEMY DINOSAUR', 'A Epic Drama of a Feminist And a Mad Scientist who must Battle a Teacher in The "
                + "Canadian Rockies', 2006, 1, NULL, 6, 0.99, 86, 20.99, 'PG', 'Deleted Scenes,Behind the Scenes', "
                + "'2006-02-15 05:03:42'), "
                + "(2, 'ACE GOLDFINGER', 'A Astounding Epistle of a Database Administrator And a Explorer who must Find a "
                + "Car in Ancient China', 2006, 1, NULL, 3, 4.99, 48, 12.99, 'G', 'Trailers,Deleted Scenes', '2006-02-15 05:03:42'), "
                + "(3, 'ADAPTATION HOLES', NULL, 1901, 2, 3, 255, 9.99, 65535, 999.99, NULL, '', '2038-01-19 03:14:07'), "
                + "(4, 'AFFAIR PREJUDICE', 'Ünïcödé 😀 \\'quoted\\'', 2155, 3, NULL, 0, 0.00, 0, 0.00, 'NC-17', "
                + "'Trailers,Commentaries,Deleted Scenes,Behind the Scenes', '1970-01-01 00:00:01')",
        "INSERT INTO address (address_id, address, address2, district, city_id, postal_code, phone, location, last_update) "
                + "VALUES (1, '47 MySakila Drive', NULL, 'Alberta', 300, '', '', ST_GeomFromText('POINT(-112.8185647 49.6999986)'), "
                + "'2014-09-25 22:30:27'), (2, '28 MySQL Boulevard', NULL, 'QLD', 576, '', '', "
                + "ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))', 4326), '2014-09-25 22:30:09')",
        "INSERT INTO customer VALUES (1, 1, 'MARY', 'SMITH', 'MARY.SMITH@sakilacustomer.org', 1, TRUE, '2006-02-14 22:04:36', "
                + "'2006-02-15 04:57:20'), (16, 2, 'SANDRA', 'MARTIN', NULL, 2, FALSE, '2006-02-14 22:04:36', NULL)",
        "INSERT INTO staff VALUES (1, 'Mike', 'Hillyer', 1, " + picture() + ", 'Mike.Hillyer@sakilastaff.com', 1, TRUE, "
                + "'Mike', '8cb2237d0679ca88db6464eac60da96345513964', '2006-02-15 03:57:16'), "
                + "(2, 'Jon', 'Stephens', 2, NULL, 'Jon.Stephens@sakilastaff.com', 2, TRUE, 'Jon', NULL, '2006-02-15 03:57:16')",
        "INSERT INTO payment VALUES (1, 1, 1, 76, 2.99, '2005-05-25 11:30:37', '2006-02-15 22:12:30'), "
                + "(2, 1, 1, 573, 0.99, '2005-05-28 10:35:23', '2006-02-15 22:12:30'), "
                + "(3, 16, 2, NULL, 999.99, '2005-06-15 00:54:12.000000', NULL)",
    };
    /** Changes on the stream: inserts, updates that fire ON UPDATE CURRENT_TIMESTAMP and the generated columns, deletes. */
    static final String[] CHANGES = {
        "INSERT INTO language (language_id, name) VALUES (4, 'Mandarin')",
        "INSERT INTO film (film_id, title, release_year, language_id, rating, special_features) VALUES "
                + "(5, 'AGENT TRUMAN', 2006, 4, 'PG-13', 'Commentaries')",
        "UPDATE film SET special_features = 'Trailers,Behind the Scenes', rating = 'R', rental_duration = 7, release_year = 2000 "
                + "WHERE film_id = 1",
        "UPDATE film SET special_features = NULL, title = 'AFFAIR', rental_rate = -0.01 WHERE film_id = 4",
        "INSERT INTO address (address_id, address, district, city_id, phone, location) VALUES (3, '23 Workhaven Lane', "
                + "'Alberta', 300, '14033335568', ST_GeomFromText('LINESTRING(0 0, -1.5 2.25)'))",
        "UPDATE customer SET active = FALSE, email = NULL WHERE customer_id = 1",
        "INSERT INTO customer (customer_id, store_id, first_name, last_name, address_id, create_date) VALUES "
                + "(599, 2, 'AUSTIN', 'CINTRON', 3, '2006-02-14 22:04:37')",
        "UPDATE staff SET picture = x'00FF00', password = NULL WHERE staff_id = 1",
        "DELETE FROM staff WHERE staff_id = 2",
        "INSERT INTO payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date) VALUES "
                + "(16049, 599, 1, 15725, 2.99, '2005-08-23 22:25:26')",
        "DELETE FROM payment WHERE payment_id = 2",
    };

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEverySakilaValue() throws Exception {
        String db = TestDatabases.freshName("sakilapg");
        replicate(db, TestDatabases.postgresTarget(db), table -> postgresRows(db, table));
    }

    @Test
    void mySqlTargetHoldsEverySakilaValueInItsDeclaredType() throws Exception {
        String db = TestDatabases.freshName("sakilamy");
        replicate(db, TestDatabases.mysqlTarget(db + "_t"), table -> mysqlRows(db + "_t", table));
        // "As declared": the target's columns have the source's types (generated columns become plain ones).
        for (String table : TABLES) {
            assertThat(MariaDbRows.columnTypes(db + "_t", table)).as(table).isEqualTo(MariaDbRows.columnTypes(db, table));
        }
    }

    @Test
    void mongoTargetHoldsEverySakilaValue() throws Exception {
        String db = TestDatabases.freshName("sakilamg");
        replicate(db, TestDatabases.mongoTarget(db), table -> mongoRows(db, table));
    }

    interface TargetRows {
        Map<String, Map<String, String>> read(String table);
    }

    /** Sakila into the target; compares every table with the source after the snapshot and after the changes. */
    private void replicate(String db, DataSource target, TargetRows targetRows) throws Exception {
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, DDL);
        TestDatabases.mysql(db, "SET SESSION time_zone = '+00:00'");
        TestDatabases.mysql(db, withUtc(SNAPSHOT_ROWS));
        Pipeline pipeline = Pipeline.named("sakila-" + target.type())
                .readFrom(TABLES.stream().map(source::table).toArray(TableRef[]::new)).writeTo(target);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            awaitSame(db, target.type(), targetRows, job);
            TestDatabases.mysql(db, withUtc(CHANGES));
            awaitSame(db, target.type(), targetRows, job);
        }
    }

    private static String[] withUtc(String[] statements) {
        String[] out = new String[statements.length + 1];
        out[0] = "SET SESSION time_zone = '+00:00'";
        System.arraycopy(statements, 0, out, 1, statements.length);
        return out;
    }

    /** Waits until every table of the target equals the source's, value by value, in the target's documented form. */
    private static void awaitSame(String db, String targetType, TargetRows targetRows, RunningPipeline job) throws Exception {
        awaitSame(TABLES, table -> mysqlRows(db, table, targetType), targetRows, job);
    }

    /** Waits until each of the tables reads from the target as {@code expectedRows} gives it (read once, at the start). */
    static void awaitSame(List<String> tables, TargetRows expectedRows, TargetRows targetRows, RunningPipeline job)
            throws Exception {
        Map<String, Map<String, Map<String, String>>> expected = new LinkedHashMap<>();
        for (String table : tables) {
            expected.put(table, expectedRows.read(table));
        }
        List<String> differences = new ArrayList<>();
        TestDatabases.await(Duration.ofMinutes(2), () -> {
            differences.clear();
            for (String table : tables) {
                Map<String, Map<String, String>> actual = targetRows.read(table);
                differences.addAll(rowDifferences(table, expected.get(table), actual));
            }
            return differences.isEmpty();
        }, () -> String.join("\n", differences), job);
    }

    /** Each row that differs, with the columns that differ in it, or that one side lacks. */
    private static List<String> rowDifferences(String table, Map<String, Map<String, String>> expected,
                                               Map<String, Map<String, String>> actual) {
        List<String> differences = new ArrayList<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            Map<String, String> e = expected.get(key);
            Map<String, String> a = actual.get(key);
            if (e == null || a == null) {
                differences.add(table + " " + key + ": " + (e == null ? "not expected, but the target holds it" : "missing"));
            } else if (!e.equals(a)) {
                List<String> columns = new ArrayList<>();
                e.forEach((column, value) -> {
                    if (!value.equals(a.get(column))) {
                        columns.add(column + " expected '" + value + "' but was '" + a.get(column) + "'");
                    }
                });
                a.keySet().stream().filter(column -> !e.containsKey(column)).forEach(column -> columns.add(column + " unexpected"));
                differences.add(table + " " + e + ": " + String.join("; ", columns));
            }
        }
        return differences;
    }

    /** The picture of staff 1: a PNG signature, then every byte value. */
    private static String picture() {
        return "x'" + HexFormat.of().formatHex(pictureBytes()) + "'";
    }

    /** A PNG signature, then every byte value: the staff picture of both sample schemas. */
    static byte[] pictureBytes() {
        byte[] bytes = new byte[8 + 256];
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(png, 0, bytes, 0, png.length);
        for (int i = 0; i < 256; i++) {
            bytes[8 + i] = (byte) i;
        }
        return bytes;
    }

    private static Map<String, Map<String, String>> mysqlRows(String db, String table) {
        return mysqlRows(db, table, "mysql");
    }

    /** A MariaDB table, each value typed by its column and put in the form the target type stores it. */
    static Map<String, Map<String, String>> mysqlRows(String db, String table, String targetType) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            List<String> types = new ArrayList<>();
            List<String> select = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "` LIMIT 0")) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String name = "`" + meta.getColumnName(i) + "`";
                    types.add(meta.getColumnTypeName(i));
                    // MariaDB prints a FLOAT with 6 digits (-3.40282e38); as a double it prints the float exactly.
                    select.add(meta.getColumnTypeName(i).startsWith("FLOAT") ? "CAST(" + name + " AS DOUBLE) AS " + name : name);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", select) + " FROM `" + table + "`")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = mysqlValue(rs, i, types.get(i - 1));
                        row.put(meta.getColumnName(i), text(targetType.equals("mongodb") ? inMongo(value) : value));
                    }
                    rows.put(rowKey(table, row), row);
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) {
                return Map.of();
            }
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static Object mysqlValue(ResultSet rs, int i, String type) throws SQLException {
        String base = type.replace(" UNSIGNED", "").replace(" ZEROFILL", "");
        // A zero date is written as NULL under the default zero-date=null (README: Zero and invalid dates).
        if (rs.getString(i) == null || base.startsWith("DATE") && rs.getString(i).startsWith("0000-00-00")) {
            return null;
        }
        return switch (base) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "YEAR", "BOOLEAN" -> rs.getBigDecimal(i);
            // BIT(n) as its unsigned number; TINYINT(1), which the driver also names BIT, as its number.
            case "BIT" -> rs.getObject(i) instanceof byte[] bits ? new BigDecimal(new BigInteger(1, bits)) : rs.getBigDecimal(i);
            case "DECIMAL" -> rs.getBigDecimal(i);
            case "DOUBLE" -> rs.getDouble(i);
            // A FLOAT is a float: its own digits, not those of the double nearest to its decimal text.
            case "FLOAT" -> (float) rs.getDouble(i);
            case "DATE" -> rs.getObject(i, LocalDate.class);
            case "DATETIME" -> rs.getObject(i, LocalDateTime.class);
            case "TIMESTAMP" -> rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            case "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BINARY", "VARBINARY", "GEOMETRY" -> rs.getBytes(i);
            default -> rs.getString(i);
        };
    }

    /** A value as the MongoDB target stores it: dates at millisecond precision, read as UTC. */
    private static Object inMongo(Object value) {
        if (value instanceof LocalDate d) {
            return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        }
        return value instanceof Instant i ? i.truncatedTo(ChronoUnit.MILLIS) : value;
    }

    /** A typed text of a value: a number never equals its text, nor a text its bytes. */
    static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof BigDecimal d) {
            return "number " + d.stripTrailingZeros().toPlainString();
        }
        // A negative zero is no zero: a sign lost on the way must show.
        if ((value instanceof Double || value instanceof Float) && ((Number) value).doubleValue() == 0
                && 1 / ((Number) value).doubleValue() < 0) {
            return "number -0";
        }
        if (value instanceof Number n) {
            return "number " + new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Boolean b) {
            return "boolean " + b;
        }
        if (value instanceof byte[] b) {
            return "bytes " + HexFormat.of().formatHex(b);
        }
        if (value instanceof String s) {
            return "text " + s;
        }
        return value.getClass().getSimpleName() + " " + value;
    }

    /** A row's key in a table picture: its {@code <table>_id} value, or else the whole row (any key is in it). */
    static String rowKey(String table, Map<String, String> row) {
        return row.containsKey(table + "_id") ? row.get(table + "_id") : new TreeMap<>(row).toString();
    }

    static Map<String, Map<String, String>> postgresRows(String db, String table) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery("SELECT * FROM public.\"" + table + "\"")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), text(postgresValue(rs, i, meta.getColumnTypeName(i))));
                    }
                    rows.put(rowKey(table, row), row);
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Map.of();
            }
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static Object postgresValue(ResultSet rs, int i, String type) throws SQLException {
        if (rs.getObject(i) == null) {
            return null;
        }
        return switch (type) {
            case "date" -> rs.getObject(i, LocalDate.class);
            case "timestamp" -> rs.getObject(i, LocalDateTime.class);
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class).toInstant();
            case "bytea" -> rs.getBytes(i);
            case "int2", "int4", "int8", "numeric" -> rs.getBigDecimal(i);
            case "float4" -> rs.getFloat(i);
            case "float8" -> rs.getDouble(i);
            default -> rs.getString(i);
        };
    }

    static Map<String, Map<String, String>> mongoRows(String db, String table) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection(table).find()) {
                Map<String, String> row = new LinkedHashMap<>();
                d.forEach((k, v) -> {
                    if (!k.equals("_id")) {
                        row.put(k, text(mongoValue(v)));
                    }
                });
                rows.put(rowKey(table, row), row);
            }
        }
        return rows;
    }

    private static Object mongoValue(Object v) {
        if (v instanceof Decimal128 d) {
            return d.bigDecimalValue();
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        return v instanceof Binary b ? b.getData() : v;
    }
}
