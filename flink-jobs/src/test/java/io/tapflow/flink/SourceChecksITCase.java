package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input against real servers: each fails before the job starts, names what is wrong, and creates nothing. */
class SourceChecksITCase {
    private static String db;
    private static DataSource mysql;
    private static DataSource pg;

    @BeforeAll
    static void tables() throws SQLException {
        db = TestDatabases.freshName("checks");
        mysql = TestDatabases.mysqlSource(db);
        pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(20))",
                "CREATE TABLE no_key (a INT, b VARCHAR(20))",
                "CREATE TABLE odd_types (id INT PRIMARY KEY, addr INET6, ref UUID, place POINT)");
    }

    @Test
    void nonexistentTableIsNamedWithTheExistingOnes() {
        assertFailsAndCreatesNothing(mysql, "nope", "target_nope",
                "table " + db + ".nope does not exist; tables in " + db + ": customer, no_key, odd_types");
    }

    @Test
    void aMistypedTableSaysTheOneMeant() {
        assertFailsAndCreatesNothing(mysql, "custmer", "target_custmer",
                "table " + db + ".custmer does not exist; did you mean 'customer'?; tables in " + db + ": customer, no_key, odd_types");
    }

    @Test
    void tableWithoutPrimaryKeyNeedsAPipelineKey() {
        assertFailsAndCreatesNothing(mysql, "no_key", "target_no_key",
                "table " + db + ".no_key has no primary key; name the key fields with key(\"column\")");
    }

    @Test
    void columnTypesTapflowCannotReadAreNamedBeforeAnythingIsCreated() {
        assertFailsAndCreatesNothing(mysql, "odd_types", "target_odd",
                "column " + db + ".odd_types.addr has the type inet6, which tapflow cannot read yet");
        assertFailsAndCreatesNothing(mysql, "odd_types", "target_odd",
                "column " + db + ".odd_types.ref has the type uuid, which tapflow cannot read yet");
    }

    @Test
    void wrongPasswordSaysSo() {
        assertFailsAndCreatesNothing(mysql.password("wrong"), "customer", "target_pw",
                "access denied for user 'tapflow': wrong user name or password");
    }

    @Test
    void unreachableHostSaysWhere() {
        assertFailsAndCreatesNothing(mysql.host("127.0.0.1").port(1), "customer", "target_host",
                "datasource 'src-" + db + "' (mysql at 127.0.0.1:1): cannot connect");
    }

    @Test
    void binlogOffIsExplained(@TempDir Path dir) throws SQLException {
        try (MariaDbServer noBinlog = MariaDbServer.start(dir, false)) {
            noBinlog.createDatabase("plain");
            try (Connection c = noBinlog.connectAsAdmin("plain")) {
                c.createStatement().execute("CREATE TABLE customer (id INT PRIMARY KEY)");
            }
            DataSource ds = mysql.host(noBinlog.host()).port(noBinlog.port()).database("plain");
            assertFailsAndCreatesNothing(ds, "customer", "target_binlog",
                    "binary logging is off on the server; CDC needs it: start the server with --log-bin --binlog-format=ROW");
        }
    }

    @Test
    void unknownKeyFieldIsNamedWithTheColumns() {
        Pipeline p = Pipeline.named("bad-key").readFrom(mysql.table("customer")).writeTo(pg.table("target_key")).key("nope");
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(p, mysql, pg)))
                .hasMessageContaining("key field 'nope' is not a column of " + db + ".customer; columns: id, name");
    }

    private static void assertFailsAndCreatesNothing(DataSource source, String table, String targetTable, String message) {
        Pipeline p = Pipeline.named("bad").readFrom(source.table(table)).writeTo(pg.table(targetTable));
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(p, source, pg)))
                .isInstanceOf(TapflowException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining(SharedServers.mariaDb().cdcPassword());
        assertThat(PgRows.tableExists(db, targetTable)).as("target table created despite the failure").isFalse();
    }
}
