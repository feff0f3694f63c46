package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.verify.Difference;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyMode;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.flink.verify.VerifyReport;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapflow verify} against real servers: a pipeline replicates, verify finds the target equal; drift injected
 * behind the pipeline's back (one field, a deleted row, an extra row, a decimal off in its last digit, a timestamp off
 * by one microsecond) is found exactly and nothing else; a dry-run repair changes nothing, a repair makes it equal.
 */
class VerifyITCase {
    @TempDir
    Path checkpoints;

    @Test
    void mariaDbToPostgresDriftIsFoundExactlyAndRepaired() throws Exception {
        String db = TestDatabases.freshName("verify");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        // A composite key with text whose collation order (case and accents ignored) differs from the binary order.
        TestDatabases.mysql(db, "CREATE TABLE orders (region VARCHAR(8), id INT, amount DECIMAL(12,4), note VARCHAR(40), "
                + "doc JSON, placed DATETIME(6), paid TIMESTAMP(6) NULL, took TIME(6), big BIGINT UNSIGNED, ratio FLOAT, "
                + "flag BIT(1), PRIMARY KEY (region, id))");
        String[] regions = {"eu", "Fr", "Us", "\u00e9z", "b"};
        StringBuilder insert = new StringBuilder("INSERT INTO orders VALUES ");
        int n = 0;
        for (String region : regions) {
            for (int id = 1; id <= 8; id++) {
                insert.append(n++ == 0 ? "" : ", ").append("('").append(region).append("', ").append(id).append(", ")
                        .append(id * 7).append(".1234, 'note ").append(id).append("', '{\"b\": 1, \"a\": [").append(id)
                        .append("]}', '2024-05-01 12:00:0").append(id).append(".123456', '2024-05-02 10:00:00.00000").append(id)
                        .append("', '-12:30:0").append(id).append(".5', 18446744073709551615, 0.1, b'1')");
            }
        }
        TestDatabases.mysql(db, insert.toString());
        Pipeline pipeline = Pipeline.named("verify-pg").readFrom(mysql.table("orders")).writeTo(pg);
        JobSpec spec = JobSpec.of(pipeline, mysql, pg);
        replicate(spec, () -> count(db, "orders"), 40);

        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        TableReport table = equal.tables().get(0);
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(table.matched()).isEqualTo(40);
        assertThat(table.sourceRows()).isEqualTo(40);
        assertThat(table.targetRows()).isEqualTo(40);

        TestDatabases.postgres(db,
                "UPDATE orders SET note = 'changed' WHERE region = 'eu' AND id = 1",
                "DELETE FROM orders WHERE region = 'Fr' AND id = 2",
                "INSERT INTO orders (region, id, amount) VALUES ('zz', 99, 1)",
                "UPDATE orders SET amount = amount + 0.0001 WHERE region = 'Us' AND id = 3",
                "UPDATE orders SET paid = paid + interval '1 microsecond' WHERE region = '\u00e9z' AND id = 4");
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.missing()).isEqualTo(1);
        assertThat(drift.extra()).isEqualTo(1);
        assertThat(drift.different()).isEqualTo(3);
        assertThat(drift.matched()).isEqualTo(36);
        assertThat(drift.resolvedByRecheck()).isZero();
        assertThat(drift.examples()).extracting(d -> d.kind() + " " + d.keyText() + " " + d.fields().stream()
                        .map(f -> f.field() + ":" + io.tapflow.flink.event.RowValues.format(f.expected()) + "->"
                                + io.tapflow.flink.event.RowValues.format(f.actual())).toList())
                .containsExactlyInAnyOrder(
                        "DIFFERENT {region=eu, id=1} [note:note 1->changed]",
                        "MISSING {region=Fr, id=2} []",
                        "EXTRA {region=zz, id=99} []",
                        "DIFFERENT {region=Us, id=3} [amount:21.1234->21.1235]",
                        "DIFFERENT {region=\u00e9z, id=4} [paid:2024-05-02T10:00:00.000004Z->2024-05-02T10:00:00.000005Z]");

        TableReport dryRun = Verifier.verify(spec, VerifyOptions.rows().withRepair(true)).tables().get(0);
        assertThat(dryRun.repair().dryRun()).isTrue();
        assertThat(dryRun.repair().upserted()).isEqualTo(4);
        assertThat(dryRun.repair().deleted()).isEqualTo(1);
        assertThat(dryRun.repair().actions()).contains("delete {region=zz, id=99}", "upsert {region=Fr, id=2}");
        assertThat(dryRun.equal()).isFalse();
        assertThat(Verifier.verify(spec, VerifyOptions.rows()).tables().get(0).different()).as("dry run changed nothing").isEqualTo(3);

        TableReport repaired = Verifier.verify(spec, VerifyOptions.rows().withRepair(false)).tables().get(0);
        assertThat(repaired.repair().stillDifferent()).isZero();
        assertThat(repaired.equal()).isTrue();
        VerifyReport after = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(after.equal()).as("%s", after).isTrue();
        assertThat(after.tables().get(0).matched()).isEqualTo(40);

        Pipeline hashable = pipeline.include("region", "id", "amount", "note", "placed", "paid", "big");
        TableReport hashed = Verifier.verify(JobSpec.of(hashable, mysql, pg), VerifyOptions.rows().withMode(VerifyMode.HASH))
                .tables().get(0);
        assertThat(hashed.equal()).isTrue();
        assertThat(hashed.notes()).containsExactly("checksums: 1 computed in both databases confirmed 40 row(s) equal; "
                + "0 differing range(s) compared row by row");

        TableReport counted = Verifier.verify(spec, VerifyOptions.rows().withMode(VerifyMode.COUNT)).tables().get(0);
        assertThat(counted.expectedRows()).isEqualTo(40);
        assertThat(counted.targetRows()).isEqualTo(40);
        assertThat(counted.equal()).isTrue();
    }

    @Test
    void jsUdfAndRenamesIntoMongoVerifyEqualAndADriftedFieldIsFound() throws Exception {
        String db = TestDatabases.freshName("verifymongo");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE items (sku VARCHAR(10) PRIMARY KEY, name VARCHAR(20), price DECIMAL(10,2), "
                + "made DATETIME(6), took TIME)");
        for (int i = 1; i <= 20; i++) {
            TestDatabases.mysql(db, "INSERT INTO items VALUES ('s" + i + "', 'item " + i + "', " + i + ".5, "
                    + "'2024-01-0" + (i % 9 + 1) + " 10:00:00.123456', '01:02:0" + (i % 10) + "')");
        }
        // The microseconds of 'made' are cut in MongoDB (BSON dates hold milliseconds): documented, not a difference.
        Pipeline pipeline = Pipeline.named("verify-mongo").readFrom(mysql.table("items"))
                .renameFields(Map.of("name", "title"))
                .js("record.title = record.title.toUpperCase(); record.label = record.sku + '/' + record.title; return record;")
                .writeTo(mongo);
        JobSpec spec = JobSpec.of(pipeline, mysql, mongo);
        replicate(spec, () -> mongoCount(db, "items"), 20);

        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(equal.tables().get(0).matched()).isEqualTo(20);

        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            client.getDatabase(db).getCollection("items").updateOne(Filters.eq("_id", "s7"), Updates.set("label", "s7/item 7"));
        }
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.different()).isEqualTo(1);
        assertThat(drift.missing() + drift.extra()).isZero();
        Difference d = drift.examples().get(0);
        assertThat(d.keyText()).isEqualTo("{sku=s7}");
        assertThat(d.fields()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("label");
            assertThat(f.expected()).isEqualTo("s7/ITEM 7");
            assertThat(f.actual()).isEqualTo("s7/item 7");
        });
    }

    @Test
    void postgresTableWithAPipelineKeyIntoMariaDbVerifiesEqualAndADriftIsFound() throws Exception {
        String db = TestDatabases.freshName("verifypg");
        DataSource source = TestDatabases.postgresSource(db);
        io.tapflow.servers.MariaDbServer maria = SharedServers.mariaDb();
        maria.createDatabase(db);
        DataSource target = DataSource.of("mysql", "maria-" + db).host(maria.host()).port(maria.port())
                .username(maria.adminUser()).password(maria.adminPassword()).database(db);
        TestDatabases.postgres(db, "CREATE TABLE events (id int NOT NULL, small int2, big int8, num numeric(20,4), free numeric, "
                        + "price real, weight double precision, paid boolean, code char(3), note varchar(40), body text, payload bytea, "
                        + "day date, at_time time(3), created timestamp(3), changed timestamptz(3), doc jsonb, ref uuid, "
                        + "tags text[], addr inet, span interval, nums int4[])",
                "ALTER TABLE events REPLICA IDENTITY FULL",
                "INSERT INTO events SELECT g, g::int2, g * 10000000000, g * 1.2345, g / 8.0, g / 4.0, g / 3.0, g % 2 = 0, "
                        + "'c' || g % 100, 'note ' || g, repeat('x', g % 50), decode(lpad(to_hex(g), 8, '0'), 'hex'), date '2024-01-01' + g, "
                        + "time '08:00:00.125' + g * interval '1 second', timestamp '2024-01-01 00:00:00.123' + g * interval '1 minute', "
                        + "timestamptz '2024-01-01 00:00:00.654+02' + g * interval '1 hour', jsonb_build_object('n', g, 'a', 'x'), "
                        + "md5(g::text)::uuid, ARRAY['t' || g % 7, NULL, '\"q\"'], ('10.0.' || g % 256 || '.1')::inet, "
                        + "make_interval(years => g % 3, months => g % 12, days => -(g % 5), secs => g / 7.0), ARRAY[g, NULL, -g] "
                        + "FROM generate_series(1, 3000) g");
        String name = "verify-pg-src-" + db;
        Pipeline pipeline = Pipeline.named(name).readFrom(source.table("events")).writeTo(target).key("id");
        JobSpec spec = JobSpec.of(pipeline, source, target);
        try {
            replicate(spec, () -> mariaCount(db), 3000);
        } finally {
            new io.tapflow.flink.connector.postgres.PostgresConnectorFactory().release(source, name);
        }
        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(equal.tables().get(0).matched()).isEqualTo(3000);
        TableReport hashEqual = Verifier.verify(spec, VerifyOptions.rows().withMode(VerifyMode.HASH)).tables().get(0);
        assertThat(hashEqual.notes()).singleElement().asString().startsWith("compared row by row, not by checksums: column 'free' (decimal(65,30))");
        assertThat(hashEqual.equal()).isTrue();

        TestDatabases.mysql(db, "UPDATE events SET free = free + 0.000000000000000000000000000001 WHERE id = 7",
                "DELETE FROM events WHERE id = 30", "UPDATE events SET note = 'drift', tags = '[\"t1\", null]' WHERE id = 2500");
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.examples()).extracting(d -> d.kind() + " " + d.keyText() + " " + d.fields().stream().map(f -> f.field()).toList())
                .containsExactly("DIFFERENT {id=7} [free]", "MISSING {id=30} []", "DIFFERENT {id=2500} [note, tags]");
        assertThat(drift.matched()).isEqualTo(2997);

        // Checksums over the columns both databases render alike: the drift in them is bisected down to its rows.
        Pipeline hashable = pipeline.include("id", "small", "big", "num", "note", "body", "payload", "day", "created", "changed");
        TableReport hashed = Verifier.verify(JobSpec.of(hashable, source, target), VerifyOptions.rows().withMode(VerifyMode.HASH))
                .tables().get(0);
        assertThat(hashed.examples()).extracting(d -> d.kind() + " " + d.keyText() + " " + d.fields().stream().map(f -> f.field()).toList())
                .containsExactly("MISSING {id=30} []", "DIFFERENT {id=2500} [note]");
        assertThat(hashed.matched()).isEqualTo(2998);
        // One checksum of [1, 3001), then 16 ranges of 188 keys: 14 confirmed without reading a row, 2 read row by row.
        assertThat(hashed.notes()).containsExactly("checksums: 17 computed in both databases confirmed 2624 row(s) equal; "
                + "2 differing range(s) compared row by row");
    }

    @Test
    void mariaDbIntoMariaDbVerifiesEqualAndAnOffByOneTimeIsFound() throws Exception {
        String db = TestDatabases.freshName("verifymy");
        DataSource mysql = TestDatabases.mysqlSource(db);
        io.tapflow.servers.MariaDbServer maria = SharedServers.mariaDb();
        String targetDb = db + "_t";
        maria.createDatabase(targetDb);
        DataSource target = DataSource.of("mysql", "maria-" + targetDb).host(maria.host()).port(maria.port())
                .username(maria.adminUser()).password(maria.adminPassword()).database(targetDb);
        TestDatabases.mysql(db, "CREATE TABLE kinds (code CHAR(4), n TINYINT, PRIMARY KEY (code, n), flag TINYINT(1), "
                        + "bits BIT(64), ratio FLOAT, took TIME(6), at DATETIME(6), ts TIMESTAMP(6) NULL, doc JSON, "
                        + "blob_col BLOB, kind ENUM('a','b'), money DECIMAL(30,10), y YEAR)",
                "INSERT INTO kinds VALUES ('ab', 1, 1, b'1000000000000000000000000000000000000000000000000000000000000001', "
                        + "0.1, '-838:59:59.000001', '1000-01-01 00:00:00.000001', '2038-01-19 03:14:07.999999', "
                        + "'{\"k\": [1, 2]}', x'00ff', 'b', 12345678901234567890.0123456789, 2024), "
                        + "('Zb', 1, 0, NULL, -1.5, '00:00:00', '9999-12-31 23:59:59.999999', NULL, NULL, '', 'a', -0.0000000001, 1901), "
                        + "('ab', 2, NULL, b'0', NULL, NULL, NULL, NULL, '[]', NULL, NULL, NULL, NULL)");
        Pipeline pipeline = Pipeline.named("verify-my").readFrom(mysql.table("kinds")).writeTo(target);
        JobSpec spec = JobSpec.of(pipeline, mysql, target);
        replicate(spec, () -> count(maria, targetDb, "kinds"), 3);

        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(equal.tables().get(0).matched()).isEqualTo(3);

        try (Connection c = maria.connectAsAdmin(targetDb); Statement st = c.createStatement()) {
            st.execute("UPDATE kinds SET at = at + INTERVAL 1 MICROSECOND WHERE code = 'ab' AND n = 1");
        }
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.examples()).extracting(d -> d.kind() + " " + d.keyText() + " " + d.fields().stream().map(f -> f.field()).toList())
                .containsExactly("DIFFERENT {code=ab, n=1} [at]");
    }

    @Test
    void unionOfTwoDatasourcesIsMergedInKeyOrder() throws Exception {
        String eu = TestDatabases.freshName("verifyeu");
        String us = TestDatabases.freshName("verifyus");
        DataSource euSource = TestDatabases.mysqlSource(eu);
        DataSource usSource = TestDatabases.mysqlSource(us);
        DataSource pg = TestDatabases.postgresTarget(eu);
        String ddl = "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20))";
        TestDatabases.mysql(eu, ddl, "INSERT INTO orders VALUES (1, 'eu1'), (4, 'eu4'), (6, 'eu6')");
        TestDatabases.mysql(us, ddl, "INSERT INTO orders VALUES (2, 'us2'), (3, 'us3'), (9, 'us9')");
        Pipeline pipeline = Pipeline.named("verify-union").readFrom(euSource.table("orders"), usSource.table("orders"))
                .writeTo(pg.table("all_orders"));
        JobSpec spec = JobSpec.of(pipeline, euSource, usSource, pg);
        replicate(spec, () -> count(eu, "all_orders"), 6);

        TableReport equal = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(equal.sourceTables()).hasSize(2);
        assertThat(equal.matched()).isEqualTo(6);
        TestDatabases.postgres(eu, "UPDATE all_orders SET item = 'x' WHERE id = 3");
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.examples()).extracting(Difference::keyText).containsExactly("{id=3}");
        assertThat(drift.matched()).isEqualTo(5);
    }

    private static long count(io.tapflow.servers.MariaDbServer maria, String db, String table) {
        try (Connection c = maria.connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // not created yet
        }
    }

    /** Runs the pipeline until the target holds the rows, then stops it. */
    private void replicate(JobSpec spec, LongSupplier targetRows, long rows) throws Exception {
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> targetRows.getAsLong() == rows, () -> "target rows " + targetRows.getAsLong(), job);
        }
    }

    private static long count(String db, String table) {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // not created yet
        }
    }

    private static long mariaCount(String db) {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // not created yet
        }
    }

    private static long mongoCount(String db, String collection) {
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            return client.getDatabase(db).getCollection(collection).countDocuments();
        }
    }
}
