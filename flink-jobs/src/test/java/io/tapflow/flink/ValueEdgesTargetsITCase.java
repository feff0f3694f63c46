package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.MariaDbServer;
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
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge values of {@link EdgeTable}, from the snapshot and from the change stream, in every target: PostgreSQL,
 * MySQL/MariaDB and MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod), each read back and
 * compared value by value with what the README's type tables promise for that target.
 */
class ValueEdgesTargetsITCase {

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEveryEdgeValue() throws Exception {
        String db = TestDatabases.freshName("edgespg");
        DataSource target = TestDatabases.postgresTarget(db);
        replicate(db, target, () -> readPostgres(db));
        // The documented column types, not just equal text: MariaDB's JSON alias as jsonb, TIME as interval.
        java.util.List<String> types = new java.util.ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE "
                     + "table_name = 'edges' AND column_name IN ('js', 'tm', 'bit64', 'geo', 'big_u') ORDER BY 1")) {
            while (rs.next()) {
                types.add(rs.getString(1));
            }
        }
        assertThat(types).containsExactly("big_u numeric", "bit64 numeric", "geo bytea", "js jsonb", "tm interval");
    }

    @Test
    void mySqlTargetHoldsEveryEdgeValue() throws Exception {
        String db = TestDatabases.freshName("edgesmy");
        replicate(db, TestDatabases.mysqlTarget(db + "_t"), () -> readMySql(db + "_t"));
    }

    @Test
    void mongoTargetHoldsEveryEdgeValue() throws Exception {
        String db = TestDatabases.freshName("edgesmg");
        replicate(db, TestDatabases.mongoTarget(db), () -> readMongo(db));
    }

    /**
     * MySQL's error value of an ENUM: '' (index 0), which a server not in strict mode stores for a value outside the
     * members. Both source paths deliver it and a PostgreSQL target holds it; a MySQL target's strict session cannot
     * write it into the declared ENUM, so the row is refused naming column and row, from the snapshot and the change
     * stream alike.
     */
    @Test
    void theEnumErrorValueReachesPostgresAndIsRefusedByAMySqlTargetByName() throws Exception {
        String db = TestDatabases.freshName("enumerr");
        DataSource source = TestDatabases.mysqlSource(db);
        String outside = "SET SESSION sql_mode = ''";
        TestDatabases.mysql(db, "CREATE TABLE e (id INT PRIMARY KEY, e ENUM('a','b'), s SET('a','b'))", outside,
                "INSERT INTO e VALUES (1, 'a', 'a,b'), (2, 'x', '')");
        DataSource maria = TestDatabases.mysqlTarget(db + "_t");
        DataSource pg = TestDatabases.postgresTarget(db + "_p");
        DataSource errors = TestDatabases.postgresTarget(db + "_e");
        Supplier<Map<String, String>> refused = () -> {
            Map<String, String> byKey = new TreeMap<>();
            if (PgRows.tableExists(db + "_e", "errors")) {
                PgRows.read(db + "_e", "errors", "id").forEach(e -> byKey.put(e.get("row_key"), e.get("error")));
            }
            return byKey;
        };
        Pipeline intoMaria = Pipeline.named("enumerr-maria").readFrom(source.table("e")).writeTo(maria.table("e"))
                .onError(ErrorPolicy.deadLetter(errors.table("errors")));
        Pipeline intoPg = Pipeline.named("enumerr-pg").readFrom(source.table("e")).writeTo(pg.table("e"));
        try (RunningPipeline toMaria = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(intoMaria, source, maria, errors)),
                     TestDatabases.runOptions(checkpoints.resolve("maria")));
             RunningPipeline toPg = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(intoPg, source, pg)),
                     TestDatabases.runOptions(checkpoints.resolve("pg")))) {
            TestDatabases.await(Duration.ofMinutes(2), () -> readMySql(db + "_t", "e").size() == 1 && refused.get().size() == 1
                    && readPostgres(db + "_p", "e").size() == 2, () -> "snapshot: refused " + refused.get(), toMaria, toPg);
            TestDatabases.mysql(db, outside, "INSERT INTO e VALUES (12, 'y', 'b'), (13, 'b', NULL)");
            TestDatabases.await(Duration.ofMinutes(2), () -> readMySql(db + "_t", "e").size() == 2 && refused.get().size() == 2
                    && readPostgres(db + "_p", "e").size() == 4, () -> "changes: refused " + refused.get(), toMaria, toPg);
        }
        Map<Integer, Map<String, Object>> inPg = readPostgres(db + "_p", "e");
        assertThat(inPg.get(2)).isEqualTo(Map.of("id", 2, "e", "", "s", ""));
        assertThat(inPg.get(12)).isEqualTo(Map.of("id", 12, "e", "", "s", "b"));
        assertThat(readMySql(db + "_t", "e").keySet()).containsExactly(1, 13);
        for (int id : new int[] {2, 12}) {
            assertThat(refused.get().get("{id=" + id + "}")).startsWith("target refused row {id=" + id + "} of " + db
                    + ".e (to e): column 'e' holds '', MySQL's error value of an ENUM (index 0, stored by a server not in"
                    + " strict mode for a value outside the members), which the target column enum('a','b') cannot take in"
                    + " tapflow's strict sessions");
        }
    }

    /** Runs edges → target; after the snapshot rows and again after the same rows as changes, compares every value. */
    private void replicate(String db, DataSource target, TargetRows rows) throws Exception {
        EdgeTable.replicate(db, target, checkpoints, () -> rows.read().size());
        Map<Integer, Map<String, Object>> actual = rows.read();
        for (int kind : EdgeTable.KINDS) {
            for (int id : new int[] {kind, EdgeTable.STREAM_BASE + kind}) {
                Map<String, Object> expected = new LinkedHashMap<>();
                EdgeTable.expected(id, kind).forEach((column, value) -> expected.put(column, inTarget(target.type(), value)));
                RowAssertions.assertRow(actual.get(id), expected);
            }
        }
    }

    /** A row value as the target's documented mapping stores it, in the form the readers below return. */
    static Object inTarget(String type, Object value) {
        if (!type.equals("mongodb")) {
            // Numbers compare by value: numeric(p,s) keeps its scale.
            return value instanceof BigDecimal d ? d.stripTrailingZeros() : value;
        }
        if (value instanceof BigDecimal d) {
            return d.precision() <= 34 ? d.stripTrailingZeros() : d.toPlainString();
        }
        if (value instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        }
        if (value instanceof Instant i) {
            return i.truncatedTo(ChronoUnit.MILLIS);
        }
        if (value instanceof Duration d) {
            return DurationText.format(d);
        }
        if (value instanceof java.time.LocalTime t) {
            return t.toString();
        }
        return value;
    }

    interface TargetRows {
        Map<Integer, Map<String, Object>> read();
    }

    static Map<Integer, Map<String, Object>> readPostgres(String db) {
        return readPostgres(db, "edges");
    }

    static Map<Integer, Map<String, Object>> readPostgres(String db, String table) {
        Map<Integer, Map<String, Object>> rows = new TreeMap<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery("SELECT * FROM public." + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), rs.getObject(i) == null ? null : postgresValue(rs, i, meta.getColumnTypeName(i)));
                    }
                    rows.put((Integer) row.get("id"), row);
                }
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw new IllegalStateException(e);
            }
        }
        return rows;
    }

    private static Object postgresValue(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "numeric" -> rs.getBigDecimal(i).stripTrailingZeros();
            case "jsonb", "varchar", "text", "bpchar" -> rs.getString(i);
            case "time" -> rs.getObject(i, java.time.LocalTime.class);
            case "date" -> rs.getObject(i, LocalDate.class);
            case "timestamp" -> rs.getObject(i, LocalDateTime.class);
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class).toInstant();
            case "interval" -> DurationText.parse(rs.getString(i));
            default -> rs.getObject(i);
        };
    }

    /** The MySQL target read through tapflow's MySQL snapshot reader, which ValueEdgesITCase checks against the server. */
    private static Map<Integer, Map<String, Object>> readMySql(String db) {
        return readMySql(db, "edges");
    }

    private static Map<Integer, Map<String, Object>> readMySql(String db, String table) {
        try {
            MariaDbServer m = SharedServers.mariaDb();
            DataSource ds = DataSource.of("mysql", "read-" + db).host(m.host()).port(m.port())
                    .username(m.adminUser()).password(m.adminPassword()).database(db);
            long count;
            try (Connection c = m.connectAsAdmin(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                count = rs.getLong(1);
            }
            Map<Integer, Map<String, Object>> rows = new TreeMap<>();
            Map<Integer, ChangeEvent> events = SourceReads.snapshotThenChanges(ds, table, "read-" + db, (int) count, () -> { }, 0);
            events.forEach((id, e) -> {
                Map<String, Object> row = new LinkedHashMap<>(e.after());
                row.replaceAll((k, v) -> v instanceof BigDecimal d ? d.stripTrailingZeros() : v);
                rows.put(id, row);
            });
            return rows;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) {
                return Map.of();
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<Integer, Map<String, Object>> readMongo(String db) {
        return readMongo(db, "edges");
    }

    static Map<Integer, Map<String, Object>> readMongo(String db, String collection) {
        Map<Integer, Map<String, Object>> rows = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection(collection).find()) {
                Map<String, Object> row = new LinkedHashMap<>();
                d.forEach((k, v) -> {
                    if (!k.equals("_id")) {
                        row.put(k, mongoValue(v));
                    }
                });
                rows.put((Integer) row.get("id"), row);
            }
        }
        return rows;
    }

    private static Object mongoValue(Object v) {
        if (v instanceof Decimal128 d) {
            return d.bigDecimalValue().stripTrailingZeros();
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Binary b) {
            return b.getData();
        }
        return v;
    }
}
