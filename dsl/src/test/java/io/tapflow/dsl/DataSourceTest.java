package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSourceTest {

    @Test
    void toStringNeverShowsSecrets() {
        DataSource ds = DataSource.of("mysql", "m").host("h").username("u").password("s3cret").database("d");
        DataSource mongo = DataSource.of("mongodb", "g").uri("mongodb://admin:hunter2@db:27017/x").database("x");
        assertThat(ds.toString()).doesNotContain("s3cret").contains("password=******");
        assertThat(mongo.toString()).doesNotContain("hunter2").contains("mongodb://admin:******@db:27017/x");
    }

    @Test
    void envReferencesStayVisibleAndResolveAtConnectTime() {
        DataSource ds = DataSource.of("mysql", "m").password("${env:PW}");
        assertThat(ds.maskedOptions()).containsEntry("password", "${env:PW}");
        assertThat(ds.resolved(Map.of("PW", "x")).options()).containsEntry("password", "x");
        assertThatThrownBy(() -> ds.resolved(Map.of()))
                .hasMessage("datasource 'm' option 'password' refers to environment variable PW, which is not set");
    }

    @Test
    void defaultsComeFromTheConnectorType() {
        DataSource ds = DataSource.of("mariadb", "m");
        assertThat(ds.getInt("port")).isEqualTo(3306);
        assertThat(ds.port(3307).getInt("port")).isEqualTo(3307);
        assertThatThrownBy(() -> ds.option("port", "x").getInt("port"))
                .hasMessage("datasource 'm' option 'port' must be a whole number, got 'x'");
    }

    @Test
    void anOptionWithChoicesNamesThemWhenGivenAnotherValue() {
        DataSource ds = DataSource.of("mysql", "src").host("h").username("u").database("d").option("zero-date", "zero");
        assertThat(DataSourceValidator.problems(ds))
                .containsExactly("option 'zero-date' must be one of null, error, got 'zero'");
        assertThat(DataSourceValidator.problems(ds.option("zero-date", "error"))).isEmpty();
        assertThat(DataSource.of("mysql", "s").get("zero-date")).isEqualTo("null");
    }

    @Test
    void aPlaceholderOptionTakesEveryKeyWithItsPrefix() {
        DataSource kafka = DataSource.of("kafka", "k").option("bootstrap-servers", "h:9092")
                .option("columns", "id int").option("columns.orders", "id bigint");
        assertThat(DataSourceValidator.problems(kafka)).isEmpty();
        assertThat(DataSourceValidator.problems(kafka.option("columns.", "x").option("column.orders", "x")))
                .hasSize(2).allMatch(p -> p.startsWith("unsupported option 'column"));
    }

    @Test
    void aTypoIsAnsweredWithTheNameItMostLikelyMeant() {
        DataSource mysql = DataSource.of("mysql", "s").host("h").username("u").database("d");
        assertThat(DataSourceValidator.problems(mysql.option("prot", "3306"))).containsExactly("unsupported option 'prot'; "
                + "did you mean 'port'?; mysql options are: host, username, password, database, port, server-time-zone, server-id, "
                + "snapshot.chunk-size, snapshot.fetch-size, poll-interval-ms, zero-date");
        assertThat(DataSourceValidator.problems(new DataSource("mysq", "s", java.util.Map.of()))).containsExactly(
                "unknown datasource type 'mysq'; did you mean 'mysql'?; known types: elasticsearch, es, kafka, mariadb, mongo, "
                        + "mongodb, mysql, postgres, postgresql");
        assertThat(DataSourceValidator.problems(mysql.option("port", "99999")))
                .containsExactly("option 'port' must be a number from 1 to 65535, got '99999'");
        assertThat(ClosestName.of("snapshot.chunk-sise", List.of("snapshot.chunk-size", "snapshot.fetch-size")))
                .contains("snapshot.chunk-size");
        assertThat(ClosestName.of("zzz", List.of("host", "port"))).isEmpty();
    }

    /** As MongoDB's docs and TapFlow's examples write it: the URI's path names the database. */
    @Test
    void aMongoUriPathNamesTheDatabaseWhenNoOptionDoes() {
        assertThat(MongoUriDatabase.fill("mongodb", Map.of("uri", "mongodb://u:p@h:27017/shop?authSource=admin")))
                .containsEntry("database", "shop");
        assertThat(MongoUriDatabase.fill("mongodb", Map.of("uri", "mongodb://h/shop", "database", "other")))
                .containsEntry("database", "other");
        assertThat(MongoUriDatabase.fill("mongodb", Map.of("uri", "mongodb://h:27017/"))).doesNotContainKey("database");
        assertThat(MongoUriDatabase.fill("mongodb", Map.of("uri", "not a uri"))).doesNotContainKey("database");
        assertThat(MongoUriDatabase.fill("mysql", Map.of("uri", "x://h/shop"))).doesNotContainKey("database");
    }
}
