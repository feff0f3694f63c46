package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepsTest {
    private final DataSource mysql = DataSource.of("mysql", "src").host("h").username("u").password("p").database("d");
    private final DataSource pg = DataSource.of("postgres", "dst").host("h").username("u").password("p").database("d");

    private Pipeline everyStep() {
        Map<String, String> renames = new LinkedHashMap<>();
        renames.put("b", "bee");
        renames.put("a", "ay");
        return Pipeline.named("all-steps").readFrom(mysql.table("orders"), mysql.table("items"))
                .filter("record.amount > 100 && record.status != 'X'")
                .filterOut("record.deleted")
                .include("id", "a", "b", "c", "tags")
                .exclude("c")
                .renameFields(renames)
                .addField("total", FieldValue.expression("record.price * record.qty", FieldType.DECIMAL))
                .addField("at", FieldValue.now())
                .changeType("ay", FieldType.EPOCH_MILLIS)
                .valueMap("status", Map.of("N", "new"))
                .unwind("tags")
                .renameTables("ods_", "_v1")
                .renameTables("", "", NameCase.LOWER)
                .js("record.x = 1; return record;")
                .py("def f(record):\n    return record\n", "f")
                .withStep(new Step.PyUdf("def g(record):\n    return record\n", "g", "flow.py:7"))
                .writeTo(pg)
                .onError(ErrorPolicy.deadLetter(pg.table("errors")))
                .udfLimits(new UdfLimits(250, true));
    }

    @Test
    void everyStepRoundTripsThroughJsonExactly() {
        Pipeline p = everyStep();
        String json = DefinitionJson.toJson(p);
        Pipeline back = DefinitionJson.pipeline(json, "test");
        assertThat(back).isEqualTo(p);
        assertThat(DefinitionJson.toJson(back)).isEqualTo(json);
        assertThat(json).contains("\"case\" : \"lower\"", "\"type\" : \"unwind\"", "\"to\" : \"epoch_millis\"", "\"mode\" : \"dead_letter\"",
                "\"kind\" : \"expression\"");
        // Renames keep the order they were given in.
        assertThat(((Step.RenameFields) back.steps().get(4)).renames().keySet()).containsExactly("b", "a");
    }

    @Test
    void validPipelineWithEveryStepUsesTheDeadLetterDataSource() {
        JobSpec spec = PipelineValidator.validate(everyStep(), Map.of("src", mysql, "dst", pg));
        assertThat(spec.datasources()).containsExactly(mysql, pg);
    }

    @Test
    void renameTablesPutsTheWholeNameInItsCaseAndLeavesAnUnchangedCaseOutOfTheJson() {
        assertThat(new Step.RenameTables("Ods_", "", NameCase.LOWER).apply("PlaylistTrack")).isEqualTo("ods_playlisttrack");
        assertThat(new Step.RenameTables("", "_v1", NameCase.UPPER).apply("Invoice")).isEqualTo("INVOICE_V1");
        assertThat(new Step.RenameTables("x_", null).apply("Invoice")).isEqualTo("x_Invoice");
        // The id of a step without a case is what it was before cases existed: savepoints and explain name it.
        assertThat(new Step.RenameTables("ods_", "_v1", NameCase.UNCHANGED).id()).isEqualTo(new Step.RenameTables("ods_", "_v1").id())
                .isNotEqualTo(new Step.RenameTables("ods_", "_v1", NameCase.LOWER).id());
        String json = DefinitionJson.toJson(Pipeline.named("p").renameTables("ods_", ""));
        assertThat(json).doesNotContain("case");
        String old = "{\"name\":\"p\",\"steps\":[{\"type\":\"rename_tables\",\"prefix\":\"ods_\"}]}";
        assertThat(DefinitionJson.pipeline(old, "old.json").steps()).containsExactly(new Step.RenameTables("ods_", "", NameCase.UNCHANGED));
    }

    @Test
    void anUnknownTableNameCaseIsRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> NameCase.of("title")).hasMessage("unknown table name case 'title'; allowed: lower, upper, unchanged");
        assertThatThrownBy(() -> DefinitionJson.pipeline(
                "{\"name\":\"p\",\"steps\":[{\"type\":\"rename_tables\",\"case\":\"title\"}]}", "p.json"))
                .hasMessage("p.json:1: field 'steps[0].case': expected one of [unchanged, lower, upper], got \"title\"");
    }

    @Test
    void stepIdsAreStableAndDistinct() {
        assertThat(new Step.Filter("record.a > 1", true).id()).isEqualTo(new Step.Filter("record.a > 1", true).id())
                .startsWith("filter-keep-").isNotEqualTo(new Step.Filter("record.a > 2", true).id());
        assertThat(new Step.PyUdf("def f(r): return r", "f").id()).isEqualTo("py-f");
    }

    @Test
    void oldSettingsWithoutPolicyReadAsDefaults() {
        String json = "{\"name\":\"p\",\"settings\":{\"parallelism\":2,\"checkpointIntervalMs\":500}}";
        PipelineSettings settings = DefinitionJson.pipeline(json, "old.json").settings();
        assertThat(settings).isEqualTo(new PipelineSettings(2, 500, ErrorPolicy.FAIL, UdfLimits.DEFAULTS, RestartPolicy.DEFAULT, 0, SchemaChangePolicy.LENIENT));
    }

    @Test
    void settingsLeftOutTakeTheirDefaults() {
        PipelineSettings only = DefinitionJson.pipeline("{\"name\":\"p\",\"settings\":{\"checkpointIntervalMs\":500,"
                + "\"restart\":{\"mode\":\"fixed\"}}}", "p.json").settings();
        assertThat(only.parallelism()).isEqualTo(1);
        assertThat(only.checkpointIntervalMs()).isEqualTo(500);
        assertThat(only.restart()).isEqualTo(RestartPolicy.fixed(3, java.time.Duration.ofSeconds(1)));
        RestartPolicy exponential = DefinitionJson.pipeline("{\"name\":\"p\",\"settings\":{\"restart\":{\"maxDelayMs\":5000}}}",
                "p.json").settings().restart();
        assertThat(exponential).isEqualTo(RestartPolicy.exponential(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)));
        PipelineSettings custom = PipelineSettings.DEFAULTS.withRestart(RestartPolicy.NONE);
        assertThat(DefinitionJson.pipeline(DefinitionJson.toJson(Pipeline.named("p").restarts(RestartPolicy.NONE)), "p.json")
                .settings()).isEqualTo(custom);
    }

    @Test
    void verifySamplingIsAnOptionalSettingAndValidated() {
        Pipeline sampled = Pipeline.named("s").readFrom(mysql.table("t")).writeTo(pg.table("t")).verifySamplePerSecond(20);
        String json = DefinitionJson.toJson(sampled);
        assertThat(json).contains("\"verify.sample-per-second\" : 20");
        assertThat(DefinitionJson.pipeline(json, "p.json")).isEqualTo(sampled);
        assertThat(DefinitionJson.toJson(sampled.verifySamplePerSecond(0))).doesNotContain("verify.sample-per-second");
        assertThatThrownBy(() -> PipelineValidator.validate(sampled.verifySamplePerSecond(-1), Map.of("src", mysql, "dst", pg)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "verify.sample-per-second must be 0 (off) to 1000 keys per second, got -1"));
    }

    @Test
    void everyStepProblemIsReportedAtOnce() {
        Pipeline p = Pipeline.named("bad").readFrom(mysql.table("t"))
                .filter(" ")
                .exclude()
                .renameFields(Map.of("a", ""))
                .valueMap("status", Map.of())
                .renameTables("", "")
                .py("def f(r): return r", "not a name")
                .js("")
                .writeTo(pg.table("t"))
                .onError(ErrorPolicy.skip(0))
                .udfLimits(new UdfLimits(0, false));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "step 1 (" + p.steps().get(0).id() + ") has no expression",
                        "step 2 (" + p.steps().get(1).id() + ") names no field",
                        "step 3 (" + p.steps().get(2).id() + ") has no new name for field 'a'",
                        "step 4 (value-map-status) maps no value",
                        "step 5 (" + p.steps().get(4).id() + ") has neither a prefix, a suffix nor a case (lower, upper) to change names to",
                        "step 6 (py-not a name) names function 'not a name', which is not a Python identifier",
                        "step 7 (" + p.steps().get(6).id() + ") has no JavaScript code",
                        "UDF time limit must be at least 1 ms, got 0",
                        "error policy 'skip' needs a maximum number of errors of at least 1, got 0"));
    }

    @Test
    void deadLetterTableMustBeInAKnownTarget() {
        Pipeline p = Pipeline.named("p").readFrom(mysql.table("t")).writeTo(pg.table("t"))
                .onError(ErrorPolicy.deadLetter(new TableRef("nowhere", "errors")));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .hasMessage("pipeline 'p': dead-letter: unknown datasource 'nowhere'; known datasources: dst, src");
    }

    @Test
    void jsCodeMayComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("enrich.js");
        Files.writeString(file, "record.y = 2;\nreturn record;\n");
        assertThat(Pipeline.named("p").js(file.toString()).steps()).containsExactly(new Step.JsUdf("record.y = 2;\nreturn record;\n"));
        assertThatThrownBy(() -> Pipeline.named("p").js(dir.resolve("missing.js").toString()))
                .hasMessageStartingWith("cannot read UDF file " + dir.resolve("missing.js"));
    }

    @Test
    void unknownFieldTypeListsTheAllowedOnes() {
        assertThatThrownBy(() -> FieldType.of("int"))
                .hasMessage("unknown field type 'int'; allowed: [string, integer, decimal, double, boolean, epoch_millis, date, datetime, timestamp]");
    }
}
