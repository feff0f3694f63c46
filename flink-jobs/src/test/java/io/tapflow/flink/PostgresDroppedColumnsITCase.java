package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL column of a type tapflow cannot read (time with time zone, a composite type, an interval array) does
 * not block its table when the pipeline drops it first, by {@code exclude(...)} or by leaving it out of
 * {@code include(...)}, in the Java builder and in JSON: the source does not read it, and the other columns replicate
 * from the snapshot and the change stream. money blocks the table even so, saying why.
 */
class PostgresDroppedColumnsITCase {
    private static final String TABLE = "CREATE TABLE odd (id int PRIMARY KEY, name text, at_tz timetz, spot pair, spans interval[])";
    private static final String ROW = "'%s', '10:00:00.123456+02', ROW(1, 'x'), '{{1 day,2 hours}}'";

    @TempDir
    Path checkpoints;

    @Test
    void excludedColumnsAreNotReadAndTheRestReplicates() throws Exception {
        String db = TestDatabases.freshName("pgdropped");
        DataSource source = TestDatabases.postgresSource(db);
        DataSource target = TestDatabases.postgresTarget(db + "_t");
        TestDatabases.postgres(db, "CREATE TYPE pair AS (x int, y text)", TABLE,
                "INSERT INTO odd VALUES (1, " + ROW.formatted("snap") + ")");
        Pipeline pipeline = Pipeline.named("pgdropped").readFrom(source.table("odd")).exclude("at_tz", "spot", "spans")
                .writeTo(target.table("odd"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> PgRows.read(db + "_t", "odd", "id").size() == 1,
                    () -> "rows: " + PgRows.read(db + "_t", "odd", "id"), job);
            TestDatabases.postgres(db, "INSERT INTO odd VALUES (2, " + ROW.formatted("stream") + ")",
                    "UPDATE odd SET name = 'snap2', at_tz = '11:00+03' WHERE id = 1");
            await(Duration.ofMinutes(2), () -> PgRows.read(db + "_t", "odd", "id").equals(List.of(
                    Map.of("id", "1", "name", "snap2"), Map.of("id", "2", "name", "stream"))),
                    () -> "rows: " + PgRows.read(db + "_t", "odd", "id"), job);
        } finally {
            ConnectorFactories.source("postgres").release(source, "pgdropped");
        }
    }

    @Test
    void anIncludeListAndJsonDropThemTooButMoneyStillBlocks() throws Exception {
        String db = TestDatabases.freshName("pgdroppedplan");
        DataSource source = TestDatabases.postgresSource(db);
        DataSource target = TestDatabases.postgresTarget(db + "_t");
        TestDatabases.postgres(db, "CREATE TYPE pair AS (x int, y text)", TABLE);

        Pipeline included = Pipeline.named("inc").readFrom(source.table("odd")).include("id", "name").writeTo(target.table("odd"));
        List<String> unread = List.of("public.odd.at_tz", "public.odd.spot", "public.odd.spans");
        assertThat(JobPlanner.inspect(JobSpec.of(included, source, target)).sources().get(0).tables().unreadColumns())
                .isEqualTo(unread);
        Pipeline json = DefinitionJson.pipeline("""
                {"name": "json", "sources": [{"datasource": "%s", "tables": ["odd"]}],
                 "steps": [{"type": "exclude_fields", "fields": ["at_tz", "spans"]}, {"type": "exclude_fields", "fields": ["spot"]}],
                 "target": {"datasource": "%s", "table": "odd"}}""".formatted(source.name(), target.name()), "test.json");
        assertThat(JobPlanner.inspect(JobSpec.of(json, source, target)).sources().get(0).tables().unreadColumns())
                .isEqualTo(unread);

        TestDatabases.postgres(db, "ALTER TABLE odd ADD COLUMN cash money");
        Pipeline jsonWithCash = DefinitionJson.pipeline(DefinitionJson.toJson(json).replace("\"spot\"", "\"spot\", \"cash\""), "x.json");
        assertThat(DefinitionJson.toJson(jsonWithCash)).contains("cash");
        assertThatThrownBy(() -> JobPlanner.inspect(JobSpec.of(jsonWithCash, source, target)))
                .hasMessageContaining("the snapshot reads every column of the table, so excluding the column does not help")
                .hasMessageNotContaining("at_tz").hasMessageNotContaining("spans").hasMessageNotContaining("spot");
        assertThatThrownBy(() -> JobPlanner.inspect(JobSpec.of(json, source, target)))
                .hasMessageContaining("column public.odd.cash has type money, which tapflow does not read from "
                        + "PostgreSQL: no reader gives its exact value")
                .hasMessageNotContaining("at_tz").hasMessageNotContaining("spans").hasMessageNotContaining("spot");
        // Not dropped: named with the reason and the way out.
        Pipeline all = Pipeline.named("all").readFrom(source.table("odd")).writeTo(target.table("odd"));
        assertThatThrownBy(() -> JobPlanner.inspect(JobSpec.of(all, source, target)))
                .hasMessageContaining("column public.odd.at_tz has type timetz, which tapflow does not read from "
                        + "PostgreSQL: the change stream turns a time with time zone into UTC")
                .hasMessageContaining("column public.odd.spot has type pair, which tapflow does not read from PostgreSQL: "
                        + "a composite type (CREATE TYPE ... AS (...)) has no row value in tapflow; drop it with exclude(\"spot\")")
                .hasMessageContaining("column public.odd.spans has type interval[], which tapflow does not read");
    }
}
