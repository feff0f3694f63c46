package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TableRef;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.JsonValues;
import io.tapflow.flink.sink.SinkRowErrors;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's Pagila sample schema (six of its tables as Pagila declares them: an enum type, a domain, numeric with
 * and without precision, timestamptz with now() defaults, bytea, boolean, character(n); plus a table of uuid, jsonb,
 * bigint and double bounds, timestamp(6), a date before the Gregorian reform and the network types inet, cidr and
 * macaddr) replicated from PostgreSQL into
 * PostgreSQL, MySQL and the MongoDB emulator. Every value is compared with the source's, in the target's documented
 * form, after the snapshot and after inserts, updates and deletes on the change stream. film.special_features is
 * Pagila's text[] (a JSON array in MySQL, an array in MongoDB) and film.fulltext its tsvector (its text in MySQL
 * and MongoDB); extra.span is an interval (ISO 8601 text outside PostgreSQL).
 */
class PagilaITCase {
    static final List<String> TABLES = List.of("language", "film", "customer", "staff", "payment", "extra");
    static final String[] DDL = {
        "CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17')",
        "CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)",
        "CREATE TABLE language (language_id integer PRIMARY KEY, name character(20) NOT NULL, "
                + "last_update timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE film (film_id integer PRIMARY KEY, title text NOT NULL, description text, release_year year, "
                + "language_id integer NOT NULL REFERENCES language, rental_duration smallint NOT NULL DEFAULT 3, "
                + "rental_rate numeric(4,2) NOT NULL DEFAULT 4.99, length smallint, replacement_cost numeric(5,2) NOT NULL "
                + "DEFAULT 19.99, rating mpaa_rating DEFAULT 'G', last_update timestamptz NOT NULL DEFAULT now(), "
                + "special_features text[], fulltext tsvector NOT NULL)",
        "CREATE TABLE customer (customer_id integer PRIMARY KEY, store_id integer NOT NULL, first_name text NOT NULL, "
                + "last_name text NOT NULL, email text, address_id integer NOT NULL, activebool boolean NOT NULL DEFAULT true, "
                + "create_date date NOT NULL DEFAULT CURRENT_DATE, last_update timestamptz DEFAULT now(), active integer)",
        "CREATE TABLE staff (staff_id integer PRIMARY KEY, first_name text NOT NULL, last_name text NOT NULL, "
                + "address_id integer NOT NULL, email text, store_id integer NOT NULL, active boolean NOT NULL DEFAULT true, "
                + "username text NOT NULL, password text, last_update timestamptz NOT NULL DEFAULT now(), picture bytea)",
        "CREATE TABLE payment (payment_id integer PRIMARY KEY, customer_id integer NOT NULL, staff_id integer NOT NULL, "
                + "rental_id integer NOT NULL, amount numeric(5,2) NOT NULL, payment_date timestamptz NOT NULL)",
        "CREATE TABLE extra (extra_id integer PRIMARY KEY, exact numeric, token uuid, doc jsonb, big bigint, "
                + "ratio double precision, at_local timestamp(6), day date, addr inet, net cidr, mac macaddr, "
                + "span interval)",
    };
    static final String[] SNAPSHOT_ROWS = {
        "INSERT INTO language VALUES (1, 'English', '2022-02-15 10:02:19+00'), (2, 'Italian', '2022-02-15 10:02:19.5+02')",
        "INSERT INTO film VALUES (1, 'ACADEMY DINOSAUR', 'A Epic Drama of a Feminist And a Mad Scientist', 2012, 1, 6, "
                + "0.99, 86, 20.99, 'PG', '2022-09-10 16:46:03.905795+00', '{\"Deleted Scenes\",\"Behind the Scenes\"}', "
                + "to_tsvector('english', 'ACADEMY DINOSAUR A Epic Drama of a Feminist And a Mad Scientist')), "
                + "(2, 'ACE GOLDFINGER', NULL, 1901, 2, -32768, 99.99, 32767, 999.99, 'NC-17', '2022-09-10 16:46:03.905795+00', "
                + "'{}', ''), (3, 'Ünïcödé 😀 ''quoted''', '', 2155, 1, 0, -99.99, NULL, -999.99, NULL, '2022-09-10 16:46:03+00', "
                + "'{NULL,\"NULL\",\"\",\"a,\\\"b\\\"}\",\"😀\"}', setweight(to_tsvector('simple', 'Ünïcödé 😀 ''quoted'' "
                + "fox''s'), 'A') || 'back\\\\slash:9C')",
        "INSERT INTO customer VALUES (1, 1, 'MARY', 'SMITH', 'MARY.SMITH@sakilacustomer.org', 5, true, '2022-02-14', "
                + "'2022-02-15 09:57:20+00', 1), (2, 2, 'PATRICIA', 'JOHNSON', NULL, 6, false, '1000-01-01', NULL, -2147483648)",
        "INSERT INTO staff VALUES (1, 'Mike', 'Hillyer', 3, 'Mike.Hillyer@sakilastaff.com', 1, true, 'Mike', "
                + "'8cb2237d0679ca88db6464eac60da96345513964', '2022-05-16 16:13:11.79328+00', " + picture() + "), "
                + "(2, 'Jon', 'Stephens', 4, NULL, 2, false, 'Jon', NULL, '2022-05-16 16:13:11.79328+00', NULL)",
        "INSERT INTO payment VALUES (16050, 269, 2, 7, 1.99, '2022-01-27 21:40:05.453+00'), "
                + "(16051, 269, 1, 98, 0.99, '2022-01-28 04:48:58.123456+00'), (16052, 269, 2, 678, 999.99, '2022-01-29 00:00:00+00')",
        "INSERT INTO extra VALUES (1, 123456789012345678901234567890.123456789012345678901234567891, "
                + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": [1, 2.50, null], \"a\": {\"x\": \"ü\"}}', "
                + "-9223372036854775808, 1.7976931348623157e308, '2022-01-01 23:59:59.999999', '1582-10-04', "
                + "'2001:db8::1/64', '10.0.0.0/8', '08:00:2b:01:02:03', '1 year 2 mons 3 days 04:05:06.78'), "
                + "(2, 0, NULL, 'null', 9223372036854775807, 4.9e-324, '1900-01-01 00:00:00', '9999-12-31', "
                + "'::ffff:255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 'ff:ff:ff:ff:ff:ff', "
                + "'-1 mon +2 days -03:00:00.000001'), "
                + "(3, -0.000000000000000000000000000001, '00000000-0000-0000-0000-000000000000', '{}', 0, -0.5, NULL, NULL, "
                + "'0.0.0.0/0', '0.0.0.0/0', '00:00:00:00:00:00', '0')",
    };
    /** Changes on the stream: inserts, updates of an enum, a domain, numerics and NULLs, deletes. */
    static final String[] CHANGES = {
        "INSERT INTO language VALUES (3, 'Japanese', '2022-02-15 10:02:19+00')",
        "INSERT INTO film VALUES (4, 'AGENT TRUMAN', NULL, 2006, 3, 3, 2.99, 169, 17.99, 'PG-13', '2022-09-10 16:46:03+00', "
                + "'{Trailers,Commentaries}', to_tsvector('english', 'AGENT TRUMAN'))",
        "UPDATE film SET rating = 'R', release_year = 2000, rental_rate = 0.01, special_features = NULL, "
                + "fulltext = to_tsvector('english', 'ACADEMY DINOSAUR changed') WHERE film_id = 1",
        "UPDATE film SET special_features = '{NULL}' WHERE film_id = 2",
        "UPDATE film SET rating = NULL, description = NULL WHERE film_id = 2",
        "UPDATE customer SET activebool = false, email = NULL, active = 2147483647 WHERE customer_id = 1",
        "INSERT INTO customer VALUES (599, 2, 'AUSTIN', 'CINTRON', 'austin@example.org', 605, true, '2022-02-14', "
                + "'2022-02-15 09:57:20.000001+00', 1)",
        "UPDATE staff SET picture = '\\x00ff00', password = NULL WHERE staff_id = 1",
        "DELETE FROM staff WHERE staff_id = 2",
        "INSERT INTO payment VALUES (16053, 599, 1, 1, -0.01, '2022-02-01 12:00:00.5+05:30')",
        "DELETE FROM payment WHERE payment_id = 16051",
        "INSERT INTO extra VALUES (4, 99999999999999999999999999999999999.999999999999999999999999999999, "
                + "'ffffffff-ffff-ffff-ffff-ffffffffffff', '[1, \"two\", {\"three\": 3}]', 1, 0, '2022-06-30 12:34:56.000001', "
                + "'0001-01-01', '192.168.0.1', '2001:db8::/32', 'AB-CD-EF-01-02-03', "
                + "'-178956970 years -8 mons -2147483648 days -2147483647:59:59.999999')",
        "UPDATE extra SET exact = NULL, doc = NULL, ratio = NULL, addr = '::1', mac = NULL, span = NULL "
                + "WHERE extra_id = 1",
        "UPDATE extra SET span = '-00:00:00.000001' WHERE extra_id = 2",
        "DELETE FROM extra WHERE extra_id = 3",
    };

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEveryPagilaValue() throws Exception {
        String db = TestDatabases.freshName("pagilapg");
        replicate(db, TestDatabases.postgresTarget(db + "_t"), table -> postgresRows(db + "_t", table, "postgres"));
    }

    /**
     * MySQL's widest DECIMAL, decimal(65,30), holds numeric values without precision up to 35 digits before the point
     * and 30 after; a value with more fraction digits (which MySQL would round, with only a note) is refused, naming
     * its row and column, and under 'skip' the rows after it arrive.
     */
    @Test
    void mySqlTargetHoldsEveryPagilaValue() throws Exception {
        String db = TestDatabases.freshName("pagilamy");
        DataSource target = TestDatabases.mysqlTarget(db + "_t");
        SakilaITCase.TargetRows rows = table -> SakilaITCase.mysqlRows(db + "_t", table, "mysql");
        try (LogCapture errors = new LogCapture(SinkRowErrors.class)) {
            replicate(db, target, rows, p -> p.onError(ErrorPolicy.skip(10)), job -> {
                TestDatabases.postgres(db, "INSERT INTO extra (extra_id, exact) VALUES (5, 0.1234567890123456789012345678901), (6, 1)");
                TestDatabases.await(Duration.ofMinutes(2), () -> rows.read("extra").containsKey("number 6"), () -> "row 6", job);
            });
            assertThat(rows.read("extra")).doesNotContainKey("number 5");
            assertThat(errors.text()).contains("target refused row {extra_id=5} of public.extra (to extra): column 'exact' holds "
                    + "0.1234567890123456789012345678901 (0 digits before the point, 31 after), which the MySQL column "
                    + "decimal(65,30) (at most 35 and 30) cannot hold without rounding");
        }
    }

    @Test
    void mongoTargetHoldsEveryPagilaValue() throws Exception {
        String db = TestDatabases.freshName("pagilamg");
        replicate(db, TestDatabases.mongoTarget(db + "_t"), table -> SakilaITCase.mongoRows(db + "_t", table));
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows) throws Exception {
        replicate(db, target, targetRows, p -> p, job -> { });
    }

    interface AfterChanges {
        void run(RunningPipeline job) throws Exception;
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows, UnaryOperator<Pipeline> settings,
                           AfterChanges after) throws Exception {
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, DDL);
        TestDatabases.postgres(db, SNAPSHOT_ROWS);
        String name = "pagila-" + target.type();
        Pipeline pipeline = settings.apply(Pipeline.named(name).readFrom(TABLES.stream().map(source::table).toArray(TableRef[]::new))
                .writeTo(target));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            awaitSame(db, target.type(), targetRows, job);
            TestDatabases.postgres(db, CHANGES);
            awaitSame(db, target.type(), targetRows, job);
            after.run(job);
        } finally {
            // The replication slot outlives the job; release it as tapflow delete does.
            ConnectorFactories.source("postgres").release(source, name);
        }
    }

    /** Waits until every table of the target equals the source's, value by value, in the target's documented form. */
    private static void awaitSame(String db, String targetType, SakilaITCase.TargetRows targetRows, RunningPipeline job) throws Exception {
        SakilaITCase.awaitSame(TABLES, table -> postgresRows(db, table, targetType), targetRows, job);
    }

    /** The picture of staff 1: a PNG signature, then every byte value. */
    private static String picture() {
        return "'\\x" + HexFormat.of().formatHex(SakilaITCase.pictureBytes()) + "'";
    }

    static Map<String, Map<String, String>> postgresRows(String db, String table, String targetType) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            // interval as tapflow carries it: the ISO 8601 text of IntervalStyle iso_8601.
            s.execute("SET IntervalStyle = 'iso_8601'");
            try (ResultSet rs = s.executeQuery("SELECT * FROM public.\"" + table + "\"")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String type = meta.getColumnTypeName(i);
                        // bpchar without a length holds text as written (no padding to drop).
                        if (type.equals("bpchar") && meta.getPrecision(i) >= 10_485_760) {
                            type = "text";
                        }
                        Object value = inTarget(postgresValue(rs, i, type), type, targetType);
                        row.put(meta.getColumnName(i), SakilaITCase.text(value));
                    }
                    rows.put(SakilaITCase.rowKey(table, row), row);
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
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        return switch (type) {
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class).toInstant();
            // Read as text: JDBC's LocalDate/LocalDateTime would shift dates before 1582-10-15 by the Julian calendar.
            case "timestamp" -> LocalDateTime.parse(rs.getString(i).replace(' ', 'T'));
            case "date" -> LocalDate.parse(rs.getString(i));
            case "bytea" -> rs.getBytes(i);
            case "bool" -> rs.getBoolean(i);
            case "_text" -> new ArrayList<>(Arrays.asList((Object[]) rs.getArray(i).getArray()));
            case "float4" -> rs.getFloat(i);
            case "float8" -> rs.getDouble(i);
            default -> v instanceof Number ? new BigDecimal(rs.getString(i)) : rs.getString(i);
        };
    }

    /** A source value as the target type stores it (see the README's type tables). */
    private static Object inTarget(Object value, String type, String targetType) {
        return switch (targetType) {
            // MySQL's CHAR, like PostgreSQL's character(n), holds trailing blanks as padding; MySQL reads it without them.
            // An array as the JSON text tapflow writes into the json column (MariaDB keeps that text).
            case "mysql" -> value instanceof List<?> list ? JsonValues.value(list).toString()
                    : value instanceof Boolean b ? BigDecimal.valueOf(b ? 1 : 0)
                    : type.equals("bpchar") && value instanceof String text ? text.stripTrailing() : value;
            case "mongodb" -> value instanceof BigDecimal d && d.precision() > 34 ? d.toPlainString()
                    : value instanceof LocalDate d ? d.atStartOfDay().toInstant(ZoneOffset.UTC)
                    : value instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)
                    : value instanceof Instant t ? t.truncatedTo(ChronoUnit.MILLIS) : value;
            default -> value;
        };
    }
}
