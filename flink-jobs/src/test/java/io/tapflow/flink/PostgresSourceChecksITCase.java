package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.servers.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL source that cannot serve CDC fails before the job starts, says why, and creates nothing. */
class PostgresSourceChecksITCase {
    private static String db;
    private static DataSource source;
    private static DataSource target;

    @BeforeAll
    static void tables() throws SQLException {
        db = TestDatabases.freshName("pgchecks");
        source = TestDatabases.postgresSource(db);
        target = TestDatabases.postgresTarget(db);
        TestDatabases.postgres(db, "CREATE TABLE customer (id int PRIMARY KEY, name text)",
                "CREATE TABLE no_key (a int, b text)",
                "CREATE TABLE odd (id int PRIMARY KEY, cash money, spans interval[])");
    }

    @Test
    void nonexistentTableIsNamedWithTheExistingOnes() {
        assertFailsAndCreatesNothing(source, "nope", "target_nope",
                "table public.nope does not exist; tables in schema public: customer, no_key, odd");
    }

    @Test
    void aMistypedTableSaysTheOneMeant() {
        assertFailsAndCreatesNothing(source, "custmer", "target_custmer",
                "table public.custmer does not exist; did you mean 'customer'?; tables in schema public: customer, no_key, odd");
    }

    @Test
    void tableWithoutPrimaryKeyNeedsAPipelineKey() {
        assertFailsAndCreatesNothing(source, "no_key", "target_no_key",
                "table public.no_key has no primary key; name the key fields with key(\"column\")");
    }

    @Test
    void pipelineKeyWithoutPrimaryKeyNeedsFullReplicaIdentity() {
        Pipeline p = Pipeline.named("no-pk").readFrom(source.table("no_key")).writeTo(target.table("target_full")).key("a");
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(p, source, target)))
                .hasMessage("PostgreSQL datasource '" + source.name() + "': table public.no_key has no primary key, so its "
                        + "updates and deletes reach CDC only with ALTER TABLE public.no_key REPLICA IDENTITY FULL");
        assertThat(PgRows.tableExists(db, "target_full")).isFalse();
    }

    @Test
    void unsupportedColumnTypeIsNamed() {
        assertFailsAndCreatesNothing(source, "odd", "target_odd",
                "column public.odd.cash has type money, which tapflow does not read from PostgreSQL: no reader gives its exact "
                + "value");
        assertFailsAndCreatesNothing(source, "odd", "target_odd", "column public.odd.spans has type interval[], which tapflow "
                + "does not read from PostgreSQL; drop it with exclude(\"spans\") as the pipeline's first step to replicate "
                + "the other columns; supported types: ");
        assertFailsAndCreatesNothing(source, "odd", "target_odd", "and one-dimensional arrays of bool, bpchar, date, float4, "
                + "float8, int2, int4, int8, json, jsonb, numeric, text, timestamp, timestamptz, uuid, varchar");
    }

    @Test
    void userWithoutReplicationIsExplained() throws SQLException {
        String user = TestDatabases.freshName("norepl");
        TestDatabases.postgres(db, "CREATE ROLE " + user + " LOGIN PASSWORD 'secret-pw'",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + user);
        assertFailsAndCreatesNothing(source.username(user).password("secret-pw"), "customer", "target_norepl",
                "user '" + user + "' lacks the REPLICATION attribute, which CDC needs (as a superuser: ALTER ROLE \""
                        + user + "\" WITH REPLICATION)");
    }

    @Test
    void walLevelReplicaIsExplained(@TempDir Path dir) throws SQLException {
        try (PostgresServer plain = PostgresServer.start(dir, false)) {
            plain.createDatabase("plain");
            try (Connection c = plain.connect("plain")) {
                c.createStatement().execute("CREATE TABLE customer (id int PRIMARY KEY)");
            }
            DataSource ds = source.host(plain.host()).port(plain.port()).database("plain");
            Pipeline p = Pipeline.named("wal").readFrom(ds.table("customer")).writeTo(target.table("target_wal"));
            assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(p, ds, target)))
                    .hasMessage("PostgreSQL datasource '" + ds.name() + "': wal_level is 'replica'; CDC needs "
                            + "wal_level=logical (set it in postgresql.conf and restart)");
            assertThat(PgRows.tableExists(db, "target_wal")).isFalse();
        }
    }

    private static void assertFailsAndCreatesNothing(DataSource ds, String table, String targetTable, String message) {
        Pipeline p = Pipeline.named("bad").readFrom(ds.table(table)).writeTo(target.table(targetTable));
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(p, ds, target)))
                .isInstanceOf(TapflowException.class)
                .hasMessageStartingWith("PostgreSQL datasource '" + ds.name() + "'")
                .hasMessageContaining(message)
                .hasMessageNotContaining("secret-pw");
        assertThat(PgRows.tableExists(db, targetTable)).as("target table created despite the failure").isFalse();
    }
}
