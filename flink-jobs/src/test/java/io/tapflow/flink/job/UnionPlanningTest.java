package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning a union of source datasources into one target table, on table schemas as inspection would find them. */
class UnionPlanningTest {
    private static final DataSource EU = DataSource.of("mysql", "shop-eu");
    private static final DataSource US = DataSource.of("mysql", "shop-us");
    private static final DataSource PG = DataSource.of("postgres", "dwh");
    private static final Column ID = new Column("id", "int", "int(11)", -1, 10, 0, false, false);
    private static final Column AMOUNT = new Column("amount", "decimal", "decimal(10,2)", -1, 10, 2, true, false);
    private static final Column NOTE = new Column("note", "varchar", "varchar(20)", 20, -1, -1, true, false);

    @Test
    void tablesOfTwoDataSourcesWithDifferentColumnsAreReportedByDataSourceAndTable() {
        Pipeline p = Pipeline.named("u").readFrom(EU.table("orders"), US.table("orders")).writeTo(PG.table("all_orders"));
        assertThatThrownBy(() -> JobPlanner.targetTables(p, List.of(
                source(EU, new TableSchema("eu", "orders", List.of(ID, AMOUNT), List.of("id"))),
                source(US, new TableSchema("us", "orders", List.of(ID, AMOUNT, NOTE), List.of("id"))))))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "source tables shop-eu.eu.orders and shop-us.us.orders both go to target table all_orders but bring "
                                + "different columns or keys: [id, amount] key [id] vs [id, amount, note] key [id]; "
                                + "align them with include/rename steps"));
    }

    @Test
    void stepsThatAlignTheColumnsMakeTheUnionValid() {
        Pipeline p = Pipeline.named("u").readFrom(EU.table("orders"), US.table("orders")).include("id", "amount")
                .writeTo(PG.table("all_orders"));
        List<TargetTable> tables = JobPlanner.targetTables(p, List.of(
                source(EU, new TableSchema("eu", "orders", List.of(ID, AMOUNT), List.of("id"))),
                source(US, new TableSchema("us", "orders", List.of(ID, AMOUNT, NOTE), List.of("id")))));
        assertThat(tables).extracting(TargetTable::sourceTable).containsExactly("eu.orders", "us.orders");
        assertThat(tables).allSatisfy(t -> assertThat(t.name()).isEqualTo("all_orders"));
    }

    /** Two shards with the same database name: events of both carry "shop.orders", so the table is planned once. */
    @Test
    void sameTableNameInTwoDataSourcesIsPlannedOnce() {
        Pipeline p = Pipeline.named("u").readFrom(EU.table("orders"), US.table("orders")).writeTo(PG);
        TableSchema orders = new TableSchema("shop", "orders", List.of(ID, AMOUNT), List.of("id"));
        List<TargetTable> tables = JobPlanner.targetTables(p, List.of(source(EU, orders), source(US, orders)));
        assertThat(tables).containsExactly(new TargetTable("shop.orders", "orders", List.of("id"), List.of(ID, AMOUNT)));
    }

    private static JobPlan.Source source(DataSource ds, TableSchema... tables) {
        return new JobPlan.Source(ds, new SourceTables(List.of(tables), ZoneOffset.UTC));
    }
}
