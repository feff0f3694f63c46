package io.tapflow.flink.job;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;
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

/** Planning lookups against table schemas as inspection finds them: the target columns, and every mistake at once. */
class LookupPlanningTest {
    private static final DataSource SHOP = DataSource.of("mysql", "shop");
    private static final DataSource MONGO = DataSource.of("mongodb", "docs");
    private static final TableSchema ORDERS = table("orders", List.of("id"), "id:int", "customer_id:int", "note:varchar");
    private static final TableSchema CUSTOMER = table("customer", List.of("id"), "id:int", "name:varchar", "balance:decimal");
    private static final TableSchema ITEMS = table("order_items", List.of("item_id"), "item_id:int", "order_id:int", "qty:int");
    private static final JobPlan.Source LOOKED_UP = new JobPlan.Source(SHOP,
            new SourceTables(List.of(CUSTOMER, ITEMS), ZoneOffset.UTC));

    @Test
    void anEmbeddedRowOrArrayIsOneJsonColumnAndAFlattenedRowItsColumns() {
        Pipeline p = Pipeline.named("v").readFrom(SHOP.table("orders"))
                .lookup(rows(SHOP.table("customer")).exclude("balance"), on("customer_id", "id"), flatten("c_"))
                .lookupMany(SHOP.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(MONGO.table("v"));
        TargetTable t = plan(p).get(0);
        assertThat(t.columnNames()).containsExactly("id", "customer_id", "note", "c_id", "c_name", "items");
        assertThat(t.columns().get(3).nullable()).isTrue();
        assertThat(t.columns().get(5).dataType()).isEqualTo(Column.DOCUMENT);
    }

    @Test
    void flatteningUnderTheFieldsOwnNamesLeavesOutTheJoinFieldItWouldOverwrite() {
        TableSchema orders = table("orders", List.of("id"), "id:int", "cid:int");
        TableSchema customer = table("customer", List.of("cid"), "cid:int", "name:varchar");
        Pipeline p = Pipeline.named("v").readFrom(SHOP.table("orders"))
                .lookup(SHOP.table("customer"), on("cid", "cid"), flatten("")).writeTo(MONGO.table("v"));
        List<TargetTable> tables = JobPlanner.targetTables(p, List.of(new JobPlan.Source(SHOP,
                        new SourceTables(List.of(orders), ZoneOffset.UTC))),
                LookupTables.schemas(p.steps(), List.of(new JobPlan.Source(SHOP, new SourceTables(List.of(customer), ZoneOffset.UTC)))));
        assertThat(tables.get(0).columnNames()).containsExactly("id", "cid", "name");
    }

    @Test
    void missingJoinFieldsArrayKeysAndClashingNamesAreReportedTogether() {
        Pipeline p = Pipeline.named("v").readFrom(SHOP.table("orders"))
                .lookup(SHOP.table("customer"), on("cust", "id"), as("note"))
                .lookupMany(SHOP.table("order_items"), on("id", "order"), as("items"), arrayKey("line"))
                .writeTo(MONGO.table("v"));
        assertThatThrownBy(() -> plan(p)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("lookup 'lookup-note' (table customer) joins on field 'cust', which shop.orders does "
                        + "not have at that point; it has: id, customer_id, note")
                .hasMessageContaining("lookup 'lookup-note' (table customer) embeds as 'note', which shop.orders already has")
                .hasMessageContaining("lookup 'lookup-items' (table order_items) joins on field 'order' of the looked-up rows, "
                        + "which shop.order_items does not have (after the lookup's own steps); it has: item_id, order_id, qty")
                .hasMessageContaining("lookup 'lookup-items' (table order_items) orders its array by field 'line'");
    }

    @Test
    void samplingVerificationRefusesALookupPipelineSayingWhy() {
        Pipeline p = Pipeline.named("v").readFrom(SHOP.table("orders"))
                .lookup(SHOP.table("customer"), on("customer_id", "id"), as("customer")).writeTo(MONGO.table("v"));
        assertThatThrownBy(() -> LookupTables.requireNone(p, "verify.sample-per-second")).hasMessage("verify.sample-per-second: "
                + "pipeline 'v' looks up rows (lookup 'lookup-customer'), and each of its target rows depends on several "
                + "source tables, which a running job does not check yet; run tapflow verify instead");
    }

    private static List<TargetTable> plan(Pipeline p) {
        return JobPlanner.targetTables(p, List.of(new JobPlan.Source(SHOP, new SourceTables(List.of(ORDERS), ZoneOffset.UTC))),
                LookupTables.schemas(p.steps(), List.of(LOOKED_UP)));
    }

    private static TableSchema table(String name, List<String> key, String... columns) {
        return new TableSchema("shop", name, java.util.Arrays.stream(columns).map(c -> {
            String[] nt = c.split(":");
            return new Column(nt[0], nt[1], nt[1], -1, -1, -1, !key.contains(nt[0]), false);
        }).toList(), key);
    }
}
