package io.tapflow.flink.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresReplicationNamesTest {

    @Test
    void pipelineNameBecomesALowerCaseIdentifier() {
        assertThat(PostgresReplicationNames.slotName("Orders-Job.v2")).isEqualTo("tapflow_orders_job_v2");
        assertThat(PostgresReplicationNames.publicationName("Orders-Job.v2")).isEqualTo("tapflow_orders_job_v2");
    }

    @Test
    void longNamesAreCutToPostgresLimitAndStayApart() {
        String a = PostgresReplicationNames.slotName("a".repeat(80) + "-one");
        String b = PostgresReplicationNames.slotName("a".repeat(80) + "-two");
        assertThat(a).hasSize(63).startsWith("tapflow_aaa").matches("[a-z0-9_]+");
        assertThat(b).hasSize(63).isNotEqualTo(a);
        assertThat(PostgresReplicationNames.slotName("b".repeat(55))).isEqualTo("tapflow_" + "b".repeat(55));
    }

    @Test
    void walLevelOtherThanLogicalIsAProblem() {
        assertThat(PostgresSourceInspector.walLevelProblem("logical")).isEmpty();
        assertThat(PostgresSourceInspector.walLevelProblem("minimal")).contains(
                "wal_level is 'minimal'; CDC needs wal_level=logical (set it in postgresql.conf and restart)");
    }
}
