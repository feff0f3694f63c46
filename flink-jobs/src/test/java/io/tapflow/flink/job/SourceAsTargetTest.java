package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline whose target is its own source is refused; another table, database or a query source is not. */
class SourceAsTargetTest {
    private static final DataSource SHOP = new DataSource("mysql", "shop", Map.of("host", "h", "port", "3306", "username", "u", "database", "shop"));
    private static final TableSchema ORDERS = new TableSchema("shop", "orders", List.of(), List.of("id"));

    @Test
    void writingIntoTheTableItReadsIsRefusedNamingTableAndDatasources() {
        JobPlan.Source source = new JobPlan.Source(SHOP, new SourceTables(List.of(ORDERS), ZoneOffset.UTC));
        assertThat(SourceAsTarget.problems(List.of(source), SHOP, List.of(target("ORDERS")))).containsExactly(
                "table shop.orders of datasource 'shop' is both read and written: every row written would come back as a "
                        + "change and be written again; write to another table (write_to('shop.orders_copy')) or another datasource");
        DataSource alias = new DataSource("mysql", "shop2", Map.of("host", "h", "port", "3306", "username", "other", "database", "shop"));
        assertThat(SourceAsTarget.problems(List.of(source), alias, List.of(target("orders"))))
                .singleElement().asString().startsWith("table shop.orders of datasource 'shop' (target 'shop2' names the same database)");
    }

    @Test
    void localhostAndItsAddressAreOneServer() {
        DataSource local = new DataSource("mysql", "local", Map.of("host", "localhost", "username", "u", "database", "shop"));
        DataSource loopback = new DataSource("mysql", "loop", Map.of("host", "127.0.0.1", "port", "3306", "username", "u", "database", "shop"));
        JobPlan.Source source = new JobPlan.Source(local, new SourceTables(List.of(ORDERS), ZoneOffset.UTC));
        assertThat(SourceAsTarget.problems(List.of(source), loopback, List.of(target("orders"))))
                .singleElement().asString().startsWith("table shop.orders of datasource 'local' (target 'loop' names the same database)");
        DataSource otherPort = new DataSource("mysql", "p", Map.of("host", "127.0.0.1", "port", "3307", "username", "u", "database", "shop"));
        assertThat(SourceAsTarget.problems(List.of(source), otherPort, List.of(target("orders")))).isEmpty();
    }

    @Test
    void anotherTableDatabaseOrAQueryIsFine() {
        JobPlan.Source source = new JobPlan.Source(SHOP, new SourceTables(List.of(ORDERS), ZoneOffset.UTC));
        assertThat(SourceAsTarget.problems(List.of(source), SHOP, List.of(target("orders_copy")))).isEmpty();
        DataSource otherDb = new DataSource("mysql", "dw", Map.of("host", "h", "port", "3306", "username", "u", "database", "dw"));
        assertThat(SourceAsTarget.problems(List.of(source), otherDb, List.of(target("orders")))).isEmpty();
        JobPlan.Source query = new JobPlan.Source(SHOP, new SourceTables(List.of(ORDERS), ZoneOffset.UTC), "SELECT * FROM orders LIMIT 1");
        assertThat(SourceAsTarget.problems(List.of(query), SHOP, List.of(target("orders")))).isEmpty();
    }

    private static TargetTable target(String name) {
        return new TargetTable("shop.orders", name, List.of("id"), List.of());
    }
}
