package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TargetSchemaChanges;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class SchemaChangeBarrierTest {

    @Test
    void eachSinkSubtaskGetsAKeyRoutedToIt() {
        for (int parallelism : new int[] {2, 3, 7}) {
            int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
            String[] keys = SchemaChangeBarrier.routeKeys(maxParallelism, parallelism);
            assertThat(keys).hasSize(parallelism).doesNotContainNull();
            for (int subtask = 0; subtask < parallelism; subtask++) {
                assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(keys[subtask], maxParallelism, parallelism))
                        .isEqualTo(subtask);
            }
        }
    }

    @Test
    void aCopyCarriesTheChangeItsSubtaskAndRouteKey() {
        SchemaChange rename = new SchemaChange.RenameColumn("b", "bee");
        ChangeEvent event = TargetSchemaChanges.event("db.t", "t", rename, 7L);
        ChangeEvent copy = TargetSchemaChanges.copyFor(event, 1, "schema-change#3");
        assertThat(TargetSchemaChanges.of(copy)).isEqualTo(rename);
        assertThat(TargetSchemaChanges.subtask(copy)).isEqualTo(1);
        assertThat(TargetSchemaChanges.subtask(event)).isEqualTo(-1);
        assertThat(TargetSchemaChanges.routeKey(copy)).isEqualTo("schema-change#3");
        assertThat(TargetSchemaChanges.id(copy)).isEqualTo(TargetSchemaChanges.id(event))
                .isNotEqualTo(TargetSchemaChanges.id(TargetSchemaChanges.event("db.t", "t", rename, 7L)));
        assertThat(TargetSchemaChanges.targetTable(copy)).isEqualTo("t");
        assertThat(TargetSchemaChanges.isFlushOnly(copy)).isFalse();
        assertThat(TargetSchemaChanges.isFlushOnly(TargetSchemaChanges.flushOnly(copy))).isTrue();
        assertThat(TargetSchemaChanges.of(TargetSchemaChanges.flushOnly(copy))).isEqualTo(rename);
    }

    @Test
    void aTruncateIsCopiedAsATruncateThatEmptiesItsTargetTable() {
        ChangeEvent source = new ChangeEvent(Op.TRUNCATE, "db.t", new java.util.LinkedHashMap<>(), null, null, 9L);
        ChangeEvent truncate = TargetSchemaChanges.truncate(source, "t");
        ChangeEvent copy = TargetSchemaChanges.flushOnly(TargetSchemaChanges.copyFor(truncate, 0, "schema-change#1"));
        assertThat(copy.op()).isEqualTo(Op.TRUNCATE);
        assertThat(TargetSchemaChanges.inOrder(copy)).isTrue();
        assertThat(TargetSchemaChanges.of(copy)).as("no column change: the table is emptied").isNull();
        assertThat(TargetSchemaChanges.targetTable(copy)).isEqualTo("t");
        assertThat(TargetSchemaChanges.subtask(copy)).isZero();
        assertThat(TargetSchemaChanges.id(copy)).isEqualTo(TargetSchemaChanges.id(truncate))
                .isNotEqualTo(TargetSchemaChanges.id(TargetSchemaChanges.truncate(source, "t")));
        assertThat(copy.sourceTsMs()).isEqualTo(9L);
    }
}
