package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetEvolutionSerializerTest {
    private static final Column ID = new Column("id", "int", "int(11)", -1, 10, 0, false, false);
    private static final Column PRICE = new Column("price", "decimal", "decimal(10,2) unsigned", -1, 10, 2, true, true);
    private static final Column NOTE = new Column("note", "varchar", "varchar(40)", 40, -1, -1, true, false);

    @Test
    void roundTripKeepsTheSchemasAndHowManyChangesWereAccepted() throws IOException {
        TargetEvolution table = new TargetEvolution(new TableSchema("shop", "orders", List.of(ID, PRICE, NOTE), List.of("id")),
                new TargetTable("shop.orders", "ods_orders", List.of("id"), List.of(ID, NOTE)), 3);

        TargetEvolution back = TargetEvolutionSerializer.INSTANCE.fromState(TargetEvolutionSerializer.INSTANCE.toState(table));

        assertThat(back.source()).isEqualTo(table.source());
        assertThat(back.target()).isEqualTo(table.target());
        assertThat(back.accepted()).isEqualTo(3);
    }

    @Test
    void anUnknownVersionIsRefusedWithAMessage() {
        assertThatThrownBy(() -> TargetEvolutionSerializer.INSTANCE.deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99 is not known");
    }
}
