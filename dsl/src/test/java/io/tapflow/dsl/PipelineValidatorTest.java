package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(spec.sourceDataSource()).isEqualTo(mysql);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        DataSource noHost = DataSource.of("mysql", "src").username("u").database("d").option("hots", "x");
        Pipeline p = Pipeline.named("bad name!").readFrom(noHost.table("t")).writeTo(TableRefs.of("nowhere", "t")).parallelism(0);
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", noHost)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "name 'bad name!' is not allowed; use letters, digits, '_', '-' and '.'",
                        "source datasource 'src': missing required option 'host' (server host name or address)",
                        "source datasource 'src': unsupported option 'hots'; mysql options are: host, username, password, database, "
                                + "port, server-time-zone, server-id, snapshot.chunk-size, snapshot.fetch-size, poll-interval-ms",
                        "target: unknown datasource 'nowhere'; known datasources: src",
                        "parallelism must be at least 1, got 0"));
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        DataSource weird = DataSource.of("oracle9", "src").host("h");
        assertThatThrownBy(() -> DataSourceValidator.validate(weird))
                .hasMessage("datasource 'src': unknown datasource type 'oracle9'; known types: mariadb, mongo, mongodb, mysql, postgres, postgresql");
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
                        "no source: call readFrom(datasource.table(\"name\"))",
                        "no target: call writeTo(datasource.table(\"name\"))"));
    }

    /** Builds a reference to a datasource that is not in the catalog. */
    private static final class TableRefs {
        static TableRef of(String ds, String table) {
            return new TableRef(ds, table);
        }
    }
}
