package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The target tables planning creates keep the source's NOT NULL columns (fields added by steps stay nullable), in
 * PostgreSQL and MySQL targets, from MySQL and PostgreSQL sources; and key fields the source lets be NULL are reported
 * at planning time, together with every other problem, before anything is created.
 */
class TargetTableShapeITCase {
    private static final String MYSQL_DDL = "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, "
            + "note VARCHAR(20), qty INT NOT NULL DEFAULT 1, seen TIMESTAMP(3) NULL, made DATETIME NOT NULL)";
    private static final Map<String, String> NULLABLE = new TreeMap<>(Map.of("id", "NO", "name", "NO", "note", "YES",
            "qty", "NO", "seen", "YES", "made", "NO", "copied_at", "YES"));

    @Test
    void notNullColumnsOfAMySqlSourceStayNotNullInPostgresAndMySqlTargets() throws Exception {
        String db = TestDatabases.freshName("shape");
        // Under zero-date=error every NOT NULL column stays NOT NULL; the default rule is the next test.
        DataSource source = TestDatabases.mysqlSource(db).option("zero-date", "error");
        TestDatabases.mysql(db, MYSQL_DDL);
        DataSource pg = TestDatabases.postgresTarget(db + "_pg");
        JobPlanner.plan(JobSpec.of(Pipeline.named("shape-pg").readFrom(source.table("items"))
                .addField("copied_at", FieldValue.now()).writeTo(pg.table("items")), source, pg));
        assertThat(postgresNullability(db + "_pg")).isEqualTo(NULLABLE);

        DataSource my = TestDatabases.mysqlTarget(db + "_my");
        JobPlanner.plan(JobSpec.of(Pipeline.named("shape-my").readFrom(source.table("items"))
                .addField("copied_at", FieldValue.now()).writeTo(my.table("items")), source, my));
        assertThat(mysqlNullability(db + "_my")).isEqualTo(NULLABLE);
    }

    @Test
    void underTheDefaultZeroDateRuleANotNullDateColumnTakesTheNullsTheRuleWrites() throws Exception {
        String db = TestDatabases.freshName("shapezero");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, MYSQL_DDL);
        DataSource pg = TestDatabases.postgresTarget(db + "_pg");
        JobPlanner.plan(JobSpec.of(Pipeline.named("shape-zero").readFrom(source.table("items"))
                .addField("copied_at", FieldValue.now()).writeTo(pg.table("items")), source, pg));
        Map<String, String> expected = new TreeMap<>(NULLABLE);
        expected.put("made", "YES");
        assertThat(postgresNullability(db + "_pg")).isEqualTo(expected);
    }

    @Test
    void notNullColumnsOfAPostgresSourceStayNotNull() throws Exception {
        String db = TestDatabases.freshName("shapepg");
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, note text, "
                + "qty int NOT NULL DEFAULT 1, seen timestamptz, made timestamp NOT NULL)");
        DataSource pg = TestDatabases.postgresTarget(db + "_pg");
        JobPlanner.plan(JobSpec.of(Pipeline.named("shape-pgpg").readFrom(source.table("items"))
                .addField("copied_at", FieldValue.now()).writeTo(pg.table("items")), source, pg));
        assertThat(postgresNullability(db + "_pg")).isEqualTo(NULLABLE);
    }

    @Test
    void aNullableKeyFieldIsReportedWithTheOtherProblemsAndNothingIsCreated() throws Exception {
        String db = TestDatabases.freshName("nullkey");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE codes (code VARCHAR(10), label VARCHAR(20))");
        DataSource pg = TestDatabases.postgresTarget(db + "_pg");
        Pipeline pipeline = Pipeline.named("nullkey").readFrom(source.table("codes")).exclude("missing")
                .writeTo(pg.table("codes")).key("code");
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(pipeline, source, pg)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "key field 'code' of table " + db + ".codes (datasource '" + source.name() + "') allows NULL, and a "
                                + "target row cannot be found by a NULL key; declare the column NOT NULL in the source, or "
                                + "name key fields that are NOT NULL (key(...) in the pipeline, \"key\" of the target in JSON)",
                        "step '" + pipeline.steps().get(0).id() + "' names field 'missing', which " + db + ".codes does not have at that point; "
                                + "it has: code, label"));
        assertThat(postgresNullability(db + "_pg")).isEmpty();
    }

    @Test
    void aNullableKeyFieldOfAPostgresSourceIsReported() throws Exception {
        String db = TestDatabases.freshName("nullkeypg");
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE codes (code text, label text)", "ALTER TABLE codes REPLICA IDENTITY FULL");
        DataSource pg = TestDatabases.postgresTarget(db + "_pg");
        Pipeline pipeline = Pipeline.named("nullkeypg").readFrom(source.table("codes")).writeTo(pg.table("codes")).key("code");
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(pipeline, source, pg)))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("key field 'code' of table public.codes (datasource '" + source.name() + "') allows NULL");
        assertThat(postgresNullability(db + "_pg")).isEmpty();
    }

    private static Map<String, String> postgresNullability(String db) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(db)) {
            return nullability(c, "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'", null);
        }
    }

    private static Map<String, String> mysqlNullability(String db) throws SQLException {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
            return nullability(c, "SELECT COLUMN_NAME, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?", db);
        }
    }

    private static Map<String, String> nullability(Connection c, String sql, String schema) throws SQLException {
        Map<String, String> columns = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (schema != null) {
                ps.setString(1, schema);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }
}
