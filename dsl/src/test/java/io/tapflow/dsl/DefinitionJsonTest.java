package io.tapflow.dsl;

import static io.tapflow.dsl.FieldValue.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionJsonTest {
    private final DataSource mysql = DataSource.of("mysql", "demo-mysql").host("localhost").port(3306)
            .username("root").password("${env:MYSQL_PW}").database("demo");
    private final DataSource mongo = DataSource.of("mongodb", "demo-mongo").uri("mongodb://localhost:27017").database("demo");

    private final Pipeline pipeline = Pipeline.named("demo-job")
            .readFrom(mysql.table("customer"), mysql.table("orders"))
            .addField("updated", now())
            .addField("origin", FieldValue.constant("mysql"))
            .addField("version", FieldValue.constant(3))
            .writeTo(mongo)
            .key("id")
            .parallelism(2)
            .checkpointInterval(Duration.ofSeconds(5));

    @Test
    void pipelineRoundTripsExactly() {
        String json = DefinitionJson.toJson(pipeline);
        Pipeline back = DefinitionJson.pipeline(json, "test");
        assertThat(back).isEqualTo(pipeline);
        assertThat(DefinitionJson.toJson(back)).isEqualTo(json);
    }

    @Test
    void jobSpecRoundTripsExactly() {
        JobSpec spec = JobSpec.of(pipeline, mysql, mongo);
        String json = DefinitionJson.toJson(spec);
        JobSpec back = DefinitionJson.jobSpec(json, "test");
        assertThat(back).isEqualTo(spec);
        assertThat(DefinitionJson.toJson(back)).isEqualTo(json);
    }

    @Test
    void unionOfDataSourcesRoundTripsExactly() {
        DataSource other = DataSource.of("mysql", "other-mysql").host("h2").username("u").password("p").database("d2");
        Pipeline union = Pipeline.named("union").readFrom(mysql.table("orders"), other.table("orders"), mysql.table("old_orders"))
                .writeTo(mongo.table("all_orders"));
        assertThat(union.sources()).containsExactly(new SourceSpec("demo-mysql", List.of("orders", "old_orders")),
                new SourceSpec("other-mysql", List.of("orders")));
        String json = DefinitionJson.toJson(union);
        assertThat(DefinitionJson.pipeline(json, "test")).isEqualTo(union);
    }

    @Test
    void aQuerySourceRoundTripsAndATableSourceHasNoQueryField() {
        Pipeline query = Pipeline.named("totals").readQuery(mysql.table("totals"), "SELECT a, COUNT(*) AS n FROM t GROUP BY a")
                .writeTo(mongo.table("totals")).key("a");
        String json = DefinitionJson.toJson(query);
        assertThat(json).contains("\"query\" : \"SELECT a, COUNT(*) AS n FROM t GROUP BY a\"");
        assertThat(DefinitionJson.pipeline(json, "test")).isEqualTo(query);
        assertThat(DefinitionJson.toJson(pipeline)).doesNotContain("query");
        Pipeline union = new Pipeline("u", List.of(query.sources().get(0), new SourceSpec("demo-mongo", List.of("a"))), List.of(),
                query.target(), null);
        assertThatThrownBy(() -> PipelineValidator.validate(union, java.util.Map.of("demo-mysql", mysql, "demo-mongo", mongo)))
                .hasMessageContaining("a query source cannot be part of a union");
        assertThatThrownBy(() -> PipelineValidator.validate(Pipeline.named("u").readQuery(mysql.table("totals"), " ")
                .writeTo(mongo), java.util.Map.of("demo-mysql", mysql, "demo-mongo", mongo)))
                .hasMessageContaining("source 'demo-mysql' has a blank query; write a SELECT");
    }

    @Test
    void tablePatternsRoundTripAsAnIncludeExcludeObject() {
        Pipeline selected = Pipeline.named("sel").readFrom(mysql.table("customer"), mysql.tables("demo\\.order_.*").except("order_tmp"))
                .writeTo(mongo);
        assertThat(selected.sources()).containsExactly(new SourceSpec("demo-mysql", List.of("customer"),
                List.of("demo\\.order_.*"), List.of("order_tmp")));
        String json = DefinitionJson.toJson(selected);
        assertThat(json).contains("\"tables\" : {").contains("\"include\" : [ \"demo\\\\.order_.*\" ]")
                .contains("\"exclude\" : [ \"order_tmp\" ]").contains("\"names\" : [ \"customer\" ]");
        Pipeline back = DefinitionJson.pipeline(json, "test");
        assertThat(back).isEqualTo(selected);
        assertThat(DefinitionJson.toJson(back)).isEqualTo(json);
    }

    @Test
    void perKindSchemaChangeOverridesRoundTripAndAreRefusedWhenUnknown() {
        Pipeline mixed = pipeline.schemaChanges("evolve").schemaChange("truncate", "ignore").schemaChange("DROP_COLUMN", "lenient");
        String json = DefinitionJson.toJson(mixed);
        assertThat(json).contains("\"schemaChangeOverrides\" : {\n      \"drop_column\" : \"lenient\",\n      \"truncate\" : \"ignore\"\n    }");
        Pipeline back = DefinitionJson.pipeline(json, "test");
        assertThat(back).isEqualTo(mixed);
        assertThat(DefinitionJson.toJson(back)).isEqualTo(json);
        SchemaChangeRules rules = back.settings().schemaChangeRules();
        assertThat(rules.policyFor(SchemaChangeKind.DROP_COLUMN)).isEqualTo(SchemaChangePolicy.LENIENT);
        assertThat(rules.policyFor(SchemaChangeKind.TRUNCATE)).isEqualTo(SchemaChangePolicy.IGNORE);
        assertThat(rules.policyFor(SchemaChangeKind.ADD_COLUMN)).isEqualTo(SchemaChangePolicy.EVOLVE);
        assertThat(rules.describe()).isEqualTo("evolve, drop_column lenient, truncate ignore");
        assertThat(DefinitionJson.toJson(pipeline.schemaChanges("evolve"))).doesNotContain("schemaChangeOverrides");

        assertThatThrownBy(() -> pipeline.schemaChange("drop_index", "lenient")).hasMessage("unknown kind of schema change "
                + "'drop_index'; use one of: add_column, drop_column, rename_column, modify_column, create_table, drop_table, truncate");
        assertThatThrownBy(() -> pipeline.schemaChange("truncate", "skip")).hasMessage(
                "unknown schema-change policy 'skip'; use one of: evolve, lenient, ignore, fail");
        String badKind = json.replace("\"truncate\" : \"ignore\"", "\"drop_index\" : \"ignore\"");
        assertThatThrownBy(() -> DefinitionJson.pipeline(badKind, "test")).hasMessageContaining("unknown kind of schema "
                + "change 'drop_index'; use one of: add_column, drop_column, rename_column, modify_column, create_table, drop_table, truncate");
        String badPolicy = json.replace("\"truncate\" : \"ignore\"", "\"truncate\" : \"skip\"");
        assertThatThrownBy(() -> DefinitionJson.pipeline(badPolicy, "test")).hasMessageContaining(
                "unknown schema-change policy 'skip'; use one of: evolve, lenient, ignore, fail");
    }

    @Test
    void schemaChangePolicyRoundTripsAndTheDefaultStaysOutOfTheJson() {
        Pipeline evolve = pipeline.schemaChanges("evolve");
        String json = DefinitionJson.toJson(evolve);
        assertThat(json).contains("\"schemaChanges\" : \"evolve\"");
        assertThat(DefinitionJson.pipeline(json, "test")).isEqualTo(evolve);
        assertThat(DefinitionJson.toJson(pipeline)).doesNotContain("schemaChanges");
        assertThat(DefinitionJson.pipeline(DefinitionJson.toJson(pipeline), "test").settings().schemaChanges())
                .isEqualTo(SchemaChangePolicy.LENIENT);
        assertThatThrownBy(() -> pipeline.schemaChanges("drop")).hasMessage(
                "unknown schema-change policy 'drop'; use one of: evolve, lenient, ignore, fail");
    }

    @Test
    void tablesObjectAsTheIssueWritesIt() {
        String json = """
                {
                  "name" : "sel",
                  "sources" : [ { "datasource" : "demo-mysql", "tables" : { "include" : [ "shop\\\\.order_.*" ], "exclude" : [ "shop\\\\.order_tmp" ] } } ],
                  "target" : { "datasource" : "demo-mongo" }
                }""";
        assertThat(DefinitionJson.pipeline(json, "sel.json").sources()).containsExactly(
                new SourceSpec("demo-mysql", List.of(), List.of("shop\\.order_.*"), List.of("shop\\.order_tmp")));
    }

    @Test
    void aByteOrderMarkBeforeTheJsonIsTaken() {
        String json = "\uFEFF{\"name\": \"bom\", \"settings\": {\"parallelism\": 2}}";
        assertThat(DefinitionJson.pipeline(json, "p.json").settings().parallelism()).isEqualTo(2);
    }

    @Test
    void oneTableNamedWithoutAListIsShownAsAList() {
        String json = "{\"name\": \"p\",\n \"sources\": [ { \"datasource\": \"src\", \"tables\": \"customer\" } ] }";
        assertThatThrownBy(() -> DefinitionJson.pipeline(json, "p.json"))
                .hasMessage("p.json:2: \"tables\" must be a list of texts in brackets, e.g. \"tables\" : [ \"customer\" ]");
    }

    @Test
    void unknownFieldOfATablesObjectIsNamedWithItsLine() {
        String json = """
                {
                  "name" : "sel",
                  "sources" : [ { "datasource" : "demo-mysql",
                                  "tables" : { "includes" : [ "order_.*" ] } } ]
                }""";
        assertThatThrownBy(() -> DefinitionJson.pipeline(json, "sel.json"))
                .hasMessageContaining("sel.json:")
                .hasMessageContaining("unknown field 'includes' in \"tables\"; did you mean 'include'?; allowed here: [exclude, include, names]");
    }

    /** Two sources of a union may share a PostgreSQL server, whose replication slot names are server-wide. */
    @Test
    void eachSourceOfAUnionHasItsOwnResourceName() {
        DataSource other = DataSource.of("mysql", "other-mysql").host("h2").username("u").password("p").database("d2");
        Pipeline union = Pipeline.named("union").readFrom(mysql.table("orders"), other.table("orders"));
        assertThat(union.sourceResourceName("demo-mysql")).isEqualTo("union");
        assertThat(union.sourceResourceName("other-mysql")).isEqualTo("union_other-mysql");
    }

    /** Definitions written before unions of datasources existed have one "source" object; they must still load. */
    @Test
    void singleSourceDefinitionOfEarlierVersionsStillParses() {
        String json = """
                {
                  "name" : "demo-job",
                  "source" : { "datasource" : "demo-mysql", "tables" : [ "customer", "orders" ] },
                  "steps" : [ ],
                  "target" : { "datasource" : "demo-mongo", "key" : [ ] },
                  "settings" : { "parallelism" : 1, "checkpointIntervalMs" : 10000 }
                }""";
        assertThat(DefinitionJson.pipeline(json, "old.json"))
                .isEqualTo(Pipeline.named("demo-job").readFrom(mysql.table("customer"), mysql.table("orders")).writeTo(mongo));
    }

    @Test
    void dataSourceRoundTripsAndKeepsOptionOrderStable() {
        DataSource reordered = DataSource.of("mysql", "demo-mysql").database("demo").username("root")
                .password("${env:MYSQL_PW}").port(3306).host("localhost");
        assertThat(DefinitionJson.toJson(reordered)).isEqualTo(DefinitionJson.toJson(mysql));
        assertThat(DefinitionJson.dataSource(DefinitionJson.toJson(mysql), "test")).isEqualTo(mysql);
    }

    @Test
    void constantsKeepTheirValueThroughJson() {
        Pipeline p = Pipeline.named("p").addField("rate", FieldValue.constant(1.5)).addField("on", FieldValue.constant(true));
        Pipeline back = DefinitionJson.pipeline(DefinitionJson.toJson(p), "test");
        assertThat(back.steps()).containsExactly(
                new Step.AddField("rate", new FieldValue.Constant(new BigDecimal("1.5"))),
                new Step.AddField("on", new FieldValue.Constant(true)));
    }

    @Test
    void unknownFieldIsReportedWithLineAndAllowedFields() {
        String json = "{\n  \"name\": \"x\",\n  \"sorce\": {}\n}";
        assertThatThrownBy(() -> DefinitionJson.pipeline(json, "job.json"))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageStartingWith("job.json:")
                .hasMessageContaining("unknown field 'sorce'")
                .hasMessageContaining("source");
    }

    @Test
    void unknownFieldIsReportedAtItsOwnLineWithTheLikelyMeantName() {
        String json = "{\n  \"name\": \"x\",\n  \"stepz\": [ ],\n  \"settings\": { \"parallelism\": 1 }\n}";
        assertThatThrownBy(() -> DefinitionJson.pipeline(json, "job.json"))
                .hasMessageStartingWith("job.json:3: unknown field 'stepz'; did you mean 'steps'?; allowed here: [");
    }

    @Test
    void unknownStepTypeIsReportedWithLineAndTheKnownTypes() {
        String json = "{\n  \"name\": \"x\",\n  \"steps\": [\n    { \"type\": \"merge\", \"from\": \"a.b\" }\n  ]\n}";
        assertThatThrownBy(() -> DefinitionJson.pipeline(json, "job.json"))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("job.json:4: unknown step type 'merge'; known types: add_field, change_type, exclude_fields, filter, "
                        + "include_fields, js, lookup, py, rename_fields, rename_tables, unwind, value_map");
        String value = "{\n  \"name\": \"x\",\n  \"steps\": [ { \"type\": \"add_field\", \"field\": \"f\",\n"
                + "    \"value\": { \"kind\": \"clock\" } } ]\n}";
        assertThatThrownBy(() -> DefinitionJson.pipeline(value, "job.json"))
                .hasMessage("job.json:4: unknown FieldValue kind 'clock'; known types: constant, expression, processing_time");
    }

    /** A value of the wrong kind is refused naming the field, never coerced ({@code "expression": 42} kept every row). */
    @Test
    void valuesOfTheWrongKindAreRefusedNamingTheField() {
        String head = "{\n  \"name\": \"x\",\n  \"steps\": [ ";
        assertThatThrownBy(() -> DefinitionJson.pipeline(head + "{ \"type\": \"filter\", \"expression\": 42, \"keep\": true } ]\n}", "p.json"))
                .hasMessage("p.json:3: field 'steps[0].expression': expected a text in quotes, got 42");
        assertThatThrownBy(() -> DefinitionJson.pipeline(head + "{ \"type\": \"js\", \"code\": true } ]\n}", "p.json"))
                .hasMessage("p.json:3: field 'steps[0].code': expected a text in quotes, got true");
        assertThatThrownBy(() -> DefinitionJson.pipeline(head + "{ \"type\": \"filter\", \"expression\": \"record.a > 1\" } ]\n}", "p.json"))
                .hasMessage("p.json:3: field 'steps[0].keep': missing; it must be true or false");
        assertThatThrownBy(() -> DefinitionJson.pipeline("{\n  \"name\": \"x\",\n  \"settings\": { \"parallelism\": 1.5 }\n}", "p.json"))
                .hasMessage("p.json:3: field 'settings.parallelism': expected a whole number, got 1.5");
        assertThatThrownBy(() -> DefinitionJson.pipeline("{\n  \"name\": \"x\",\n  \"settings\": { \"parallelism\": \"2x\" }\n}", "p.json"))
                .hasMessage("p.json:3: field 'settings.parallelism': expected a whole number, got \"2x\"");
        assertThatThrownBy(() -> DefinitionJson.pipeline("[ \"not\", \"an\", \"object\" ]", "p.json"))
                .hasMessage("p.json:1: expected a JSON object { ... }, got a list [ ... ]");
        assertThatThrownBy(() -> DefinitionJson.pipeline("{\n  \"name\": \"x\",\n  \"target\": \"pg\"\n}", "p.json"))
                .hasMessage("p.json:3: field 'target': expected a JSON object { ... }, got a text");
        assertThatThrownBy(() -> DefinitionJson.dataSource("{ \"type\": \"mysql\", \"name\": \"m\", \"options\": \"password=s3cret\" }", "d.json"))
                .hasMessage("d.json:1: field 'options': expected a JSON object { ... }, got a text");
        assertThatThrownBy(() -> DefinitionJson.pipeline("{\n  \"name\": \"x\",\n  \"steps\": { \"type\": \"js\" }\n}", "p.json"))
                .hasMessage("p.json:3: field 'steps': expected a list [ ... ], got an object { ... }");
        assertThatThrownBy(() -> DefinitionJson.pipeline("{\n  \"name\": [ \"x\" ]\n}", "p.json"))
                .hasMessage("p.json:2: field 'name': expected a text in quotes, got a list [ ... ]");
        assertThat(DefinitionJson.dataSource("{ \"type\": \"mysql\", \"name\": \"m\", \"options\": { \"port\": 3306 } }", "d.json")
                .options()).containsEntry("port", "3306");
    }

    /** A broken file is reported on one line, by line and column, never quoting the file (which may hold a password). */
    @Test
    void aTruncatedFileIsOneLineWithoutItsText() {
        String json = "{\"name\": \"x\", \"password\": \"s3cret\",\n \"sources\": [\n";
        assertThatThrownBy(() -> DefinitionJson.pipeline(json, "p.json"))
                .hasMessage("p.json:3:1: the file ends before the list [ ... ] opened at line 2, column 13 is closed with ']'")
                .hasMessageNotContaining("s3cret");
    }

    /** Syntax errors in plain words with file, line and column: no character codes or parser feature names. */
    @Test
    void syntaxErrorsAreSaidInPlainWords() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\n  \"name\": \"x\",\n}", "p.json:3:1: a comma after the last field; JSON allows none before '}'");
        cases.put("{\"sources\": [ 1, ]}", "p.json:1:18: a comma after the last value; JSON allows none before ']'");
        cases.put("{name: \"x\"}", "p.json:1:2: a field name needs double quotes: \"name\" : value");
        cases.put("{\"name\": 'x'}", "p.json:1:10: a text in single quotes; JSON needs double quotes: \"text\"");
        cases.put("{\"name\": \"x\" \"steps\": []}", "p.json:1:14: a comma is missing before '\"'; separate fields with ','");
        cases.put("{\"password\": s3cret}", "p.json:1:20: a word that is no JSON value; texts need double quotes, other values "
                + "are numbers, true, false, null, [ ... ] or { ... }");
        cases.put("{\"sources\": [ }", "p.json:1:15: '}' closes a list [ ... ] that needs ']' first");
        cases.put("// a pipeline\n{}", "p.json:1:1: a comment; JSON has no comments, remove it");
        cases.put("", "p.json: the file is empty; it must hold one JSON object { ... }");
        cases.put(" \n\n", "p.json: the file is empty; it must hold one JSON object { ... }");
        cases.forEach((json, message) -> assertThatThrownBy(() -> DefinitionJson.pipeline(json, "p.json")).as(json)
                .isInstanceOf(InvalidDefinitionException.class).hasMessage(message).hasMessageNotContaining("s3cret"));
    }
}
