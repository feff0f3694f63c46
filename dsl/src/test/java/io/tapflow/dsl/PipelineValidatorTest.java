package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineValidatorTest {
    private final DataSource mysql = DataSource.of("mysql", "src").host("h").username("u").password("p").database("d");
    private final DataSource pg = DataSource.of("postgres", "dst").host("h").username("u").password("p").database("d");

    @Test
    void validPipelineKeepsOnlyTheDataSourcesItUses() {
        DataSource unused = DataSource.of("mongodb", "other").uri("mongodb://x").database("d");
        Pipeline p = Pipeline.named("ok").readFrom(mysql.table("t")).writeTo(pg.table("t2"));
        JobSpec spec = PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg, "other", unused));
        assertThat(spec.datasources()).containsExactly(mysql, pg);
        assertThat(spec.sourceDataSources()).containsExactly(mysql);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        DataSource noHost = DataSource.of("mysql", "src").username("u").database("d").option("hots", "x");
        Pipeline p = Pipeline.named("bad name!").readFrom(noHost.table("t")).writeTo(TableRefs.of("nowhere", "t")).parallelism(0);
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", noHost)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "name 'bad name!' is not allowed; use ASCII letters, digits, '_', '-' and '.', starting with a letter or digit",
                        "source datasource 'src': missing required option 'host' (server host name or address)",
                        "source datasource 'src': unsupported option 'hots'; did you mean 'host'?; mysql options are: host, username, password, database, "
                                + "port, server-time-zone, server-id, snapshot.chunk-size, snapshot.fetch-size, poll-interval-ms, zero-date",
                        "target: unknown datasource 'nowhere'; known datasources: src",
                        "parallelism must be at least 1, got 0"));
    }

    @Test
    void aPipelineWithoutANameIsToldSo() {
        Pipeline p = DefinitionJson.pipeline("{\"sources\": [{\"datasource\": \"src\", \"tables\": [\"t\"]}],"
                + " \"target\": {\"datasource\": \"dst\", \"table\": \"t\"}}", "p.json");
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .hasMessage("pipeline: no name (\"name\" : \"...\" in JSON); use ASCII letters, digits, '_', '-' and '.', starting "
                        + "with a letter or digit");
    }

    @Test
    void aMistypedDataSourceNameSaysTheOneMeant() {
        Pipeline p = Pipeline.named("p").readFrom(TableRefs.of("sr", "t")).writeTo(TableRefs.of("dts", "t"));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "source: unknown datasource 'sr'; did you mean 'src'?; known datasources: dst, src",
                        "target: unknown datasource 'dts'; did you mean 'dst'?; known datasources: dst, src"));
    }

    @Test
    void aKeyFieldThatAStepAddsIsRefusedBeforeAnyServerIsAsked() {
        Pipeline p = Pipeline.named("k").readFrom(mysql.table("t")).addField("origin", FieldValue.constant("eu"))
                .writeTo(pg.table("t2")).key("id", "origin");
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "target key field 'origin' is set by step 'add-field-origin'; a key names source columns (a delete "
                                + "carries only the source row, so a value a step computes cannot find the target row); key "
                                + "the target by source columns or give the field another name"));
    }

    @Test
    void unionOfTwoDataSourcesUsesBoth() {
        DataSource other = DataSource.of("mariadb", "src2").host("h2").username("u").password("p").database("d2");
        Pipeline p = Pipeline.named("u").readFrom(mysql.table("orders"), other.table("orders")).writeTo(pg.table("all"));
        JobSpec spec = PipelineValidator.validate(p, Map.of("src", mysql, "src2", other, "dst", pg));
        assertThat(spec.sourceDataSources()).containsExactly(mysql, other);
        assertThat(spec.datasources()).containsExactly(mysql, other, pg);
    }

    @Test
    void everySourceOfAUnionIsChecked() {
        DataSource mongo = DataSource.of("mongodb", "mongo").uri("mongodb://x").database("d");
        Pipeline p = Pipeline.named("u").readFrom(mysql.table("orders"), mongo.table("orders"), new TableRef("gone", "orders"))
                .writeTo(pg.table("all"));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg, "mongo", mongo)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "source datasource 'mongo' is of type mongodb, which cannot be used as a source (it can be: [target])",
                        "source: unknown datasource 'gone'; known datasources: dst, mongo, src"));
    }

    @Test
    void aTablePatternThatIsNoRegularExpressionIsReported() {
        Pipeline p = Pipeline.named("p").readFrom(mysql.tables("order_(.*").except("")).writeTo(pg.table("all"));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "source 'src': table pattern 'order_(.*' is not a regular expression: Unclosed group near position 9",
                        "source 'src': a table pattern is blank"));
    }

    @Test
    void aDataSourceListedAsTwoSourcesIsReported() {
        Pipeline p = new Pipeline("u", List.of(new SourceSpec("src", List.of("a")), new SourceSpec("src", List.of("b"))),
                List.of(), new TargetSpec("dst", "all", List.of()), null);
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", pg)))
                .hasMessageContaining("source 'src' is listed twice; name all its tables in one source");
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        DataSource weird = DataSource.of("oracle9", "src").host("h");
        assertThatThrownBy(() -> DataSourceValidator.validate(weird))
                .hasMessage("datasource 'src': unknown datasource type 'oracle9'; known types: elasticsearch, es, kafka, mariadb, mongo, mongodb, mysql, postgres, postgresql");
    }

    @Test
    void targetOnlyTypeCannotBeASource() {
        DataSource mongo = DataSource.of("mongodb", "mongo").uri("mongodb://x").database("d");
        Pipeline p = Pipeline.named("p").readFrom(mongo.table("t")).writeTo(mysql.table("t"));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "mongo", mongo)))
                .hasMessageContaining("source datasource 'mongo' is of type mongodb, which cannot be used as a source (it can be: [target])");
    }

    @Test
    void missingSourceAndTargetAreExplained() {
        assertThatThrownBy(() -> PipelineValidator.validate(Pipeline.named("p"), Map.of()))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "no source: name one with \"sources\": [{\"datasource\": \"ds\", \"tables\": [\"t\"]}] in JSON, "
                                + "read_from('ds.t') in a script, readFrom(ds.table(\"t\")) in Java",
                        "no target: name one with \"target\": {\"datasource\": \"ds\", \"table\": \"t\"} in JSON, "
                                + "write_to('ds.t') in a script, writeTo(ds.table(\"t\")) in Java"));
    }

    /** A name becomes a file name: one of 300 characters failed writing the catalog with the OS's "File name too long". */
    @Test
    void namesAreAsciiAndAtMostAHundredCharacters() {
        String longName = "x".repeat(101);
        assertThat(DataSourceValidator.problems(DataSource.of("mysql", longName).host("h").username("u").database("d")))
                .containsExactly("name 'xxxxxxxxxxxxxxxxxxxx...' is 101 characters long; at most 100");
        assertThat(DataSourceValidator.problems(DataSource.of("mysql", "x".repeat(100)).host("h").username("u").database("d"))).isEmpty();
        assertThat(DataSourceValidator.problems(DataSource.of("mysql", "bestellungen-übersicht").host("h").username("u").database("d")))
                .containsExactly("name 'bestellungen-übersicht' is not allowed; use ASCII letters, digits, '_', '-' and '.', "
                        + "starting with a letter or digit");
    }

    /** Builds a reference to a datasource that is not in the catalog. */
    private static final class TableRefs {
        static TableRef of(String ds, String table) {
            return new TableRef(ds, table);
        }
    }
}
