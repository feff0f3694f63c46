package io.tapflow.cli;

import static io.tapflow.cli.FlinkClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.SharedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a multi-process cluster, through the tapflow commands: start a pipeline, stop it with a savepoint while changes
 * flow, add steps (a field, a JavaScript and a Python UDF), start the changed pipeline from the savepoint. CDC continues where it stopped: no change is lost
 * (target equals source), and no second snapshot happens (a row tampered with in the target while the job was down
 * stays tampered, and rows untouched since the upgrade do not carry the new step's field).
 */
class SavepointUpgradeITCase {
    private static final int ROWS = 2_000;
    private static final String NAME = "upgrade";

    @TempDir
    Path dir;

    @Test
    void changedPipelineContinuesFromTheSavepoint() throws Exception {
        try (FlinkClusterFixture f = new FlinkClusterFixture(dir, "upgrade_" + ProcessHandle.current().pid())) {
            f.mysql(ItemTables.DDL, "CREATE TABLE other (id INT PRIMARY KEY)");
            ItemTables.insert(f.database, 1, ROWS);
            Path v1 = FlinkClusterFixture.pipelineFile(dir, NAME, "item", 1, "");
            assertThat(f.tapflow("start", v1.toString())).as(f.err()).isZero();
            assertThat(f.out()).contains("started pipeline 'upgrade' as job");
            await(Duration.ofMinutes(2), () -> ItemTables.readPostgres(f.database).size() == ROWS, () -> "snapshot not done");
            String tableDone = "snapshot of table " + f.database + ".item finished: " + ROWS + " rows";
            await(Duration.ofSeconds(30), () -> f.tapflow("logs", NAME) == 0 && f.out().contains(tableDone),
                    () -> "logs lack '" + tableDone + "': " + f.out() + f.err());
            assertThat(f.out()).containsPattern("the change stream starts at binlog \\S+:\\d+");
            await(Duration.ofSeconds(30), () -> f.tapflow("status", NAME) == 0
                    && f.out().contains("snapshot done: " + ROWS + " rows"), () -> "status lacks the snapshot's progress: " + f.out());
            assertSecretsAreNotVisibleInFlink(f);

            Map<Integer, String> source;
            try (ItemTables.Writer writer = new ItemTables.Writer(f.database, ROWS + 1, 2)) {
                await(Duration.ofSeconds(30), () -> writer.changes() > 200, () -> "writer is slow");
                Path savepoints = dir.resolve("my-savepoints");
                assertThat(f.tapflow("stop", NAME, "--savepoint", savepoints.toString())).as(f.err()).isZero();
                assertThat(f.out()).contains("stopped job 'upgrade'").contains("with savepoint file:" + savepoints);
                f.postgres("UPDATE item SET note = 'TAMPERED' WHERE id = 1");

                Path otherTables = FlinkClusterFixture.pipelineFile(dir, NAME, "other", 1, "");
                assertThat(f.tapflow("start", otherTables.toString(), "--from-savepoint", "latest")).isEqualTo(1);
                assertThat(f.err()).contains("does not fit pipeline 'upgrade'").contains("tables=item").contains("tables=other");
                assertThat(f.tapflow("start", otherTables.toString(), "--from-savepoint", "latest", "--allow-incompatible-savepoint"))
                        .as(f.err()).isZero();
                assertThat(f.out()).contains("started pipeline 'upgrade'").contains("from savepoint file:" + savepoints);
                assertThat(f.tapflow("stop", NAME)).as(f.err()).isZero();

                assertThat(f.tapflow("start", v1.toString(), "--from-savepoint", dir.resolve("no-such-savepoint").toString())).isEqualTo(1);
                assertThat(f.err()).contains("could not start the job").contains("no-such-savepoint").doesNotContain("\tat ");

                f.postgres("ALTER TABLE item ADD COLUMN version TEXT");
                // "V", then "V2" (GraalJS), then "v2" (GraalPy): both languages must run from the shaded job jar on the
                // cluster's TaskManagers.
                Path v2 = FlinkClusterFixture.pipelineFile(dir, NAME, "item", 1,
                        "{\"type\": \"add_field\", \"field\": \"version\", \"value\": {\"kind\": \"constant\", \"value\": \"V\"}}, "
                        + "{\"type\": \"js\", \"code\": \"record.version = record.version + (1 + 1); return record;\"}, "
                        + "{\"type\": \"py\", \"function\": \"stamp\", "
                        + "\"source\": \"def stamp(record):\\n    record['version'] = record['version'].lower()\\n    return record\\n\"}");
                assertThat(f.tapflow("start", v2.toString(), "--from-savepoint", "latest")).as(f.err()).isZero();
                assertThat(f.out()).contains("from savepoint file:");
                int changesAtRestart = writer.changes();
                await(Duration.ofSeconds(30), () -> writer.changes() > changesAtRestart + 200, () -> "writer is slow");
            }
            source = ItemTables.readMariaDb(f.database);
            await(Duration.ofMinutes(1), () -> withoutRow1(ItemTables.readPostgres(f.database)).equals(withoutRow1(source)),
                    () -> "target differs from source: " + ItemTables.readPostgres(f.database).size() + " vs " + source.size()
                            + " rows; job: " + (f.tapflow("status", NAME) == 0 ? f.out() : f.err()));
            assertThat(ItemTables.readPostgres(f.database).get(1)).as("row 1 was snapshotted again").isEqualTo("1|TAMPERED");
            Map<String, Integer> versions = versionCounts(f.database);
            assertThat(versions.get("v2")).as("rows changed after the upgrade carry the new field").isPositive();
            assertThat(versions.get("none")).as("rows untouched since the upgrade were not re-read").isPositive();

            assertThat(get(f, "/jars")).as("the job jar is uploaded once and reused").containsOnlyOnce("\"name\":\"tapflow-job-");

            assertThat(f.tapflow("logs", NAME)).as(f.err()).isZero();
            assertThat(f.out()).as("the upgraded job started from the savepoint: no snapshot")
                    .contains("first live change (binlog); snapshot rows read before by this subtask: none").doesNotContain("snapshot of table");

            assertThat(f.tapflow("status", "no-such-job")).isEqualTo(1);
            assertThat(f.err()).contains("no job 'no-such-job'").contains("known jobs: upgrade");
            assertThat(f.tapflow("stop", NAME)).as(f.err()).isZero();
            assertThat(f.out()).contains("cancelled job 'upgrade'");
        }
    }

    private static void assertSecretsAreNotVisibleInFlink(FlinkClusterFixture f) throws Exception {
        String password = SharedServers.mariaDb().cdcPassword();
        assertThat(f.tapflow("jobs", "--json")).isZero();
        String jobId = f.out().replaceAll("(?s).*\"id\" : \"([0-9a-f]{32})\".*", "$1");
        for (String path : new String[] {"/jobs/" + jobId, "/jobs/" + jobId + "/config", "/jobmanager/config", "/jars"}) {
            assertThat(get(f, path)).as(path).doesNotContain(password);
        }
    }

    private static String get(FlinkClusterFixture f, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.cluster.restUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Map<Integer, String> withoutRow1(Map<Integer, String> rows) {
        Map<Integer, String> copy = new TreeMap<>(rows);
        copy.remove(1);
        return copy;
    }

    private static Map<String, Integer> versionCounts(String database) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(version, 'none'), count(*) FROM item GROUP BY 1")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }
}
