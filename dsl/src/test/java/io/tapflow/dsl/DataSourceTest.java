package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
