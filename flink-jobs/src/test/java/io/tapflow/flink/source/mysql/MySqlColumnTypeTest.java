package io.tapflow.flink.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The column type a MySQL target is created with keeps the case of ENUM and SET values, which is data. */
class MySqlColumnTypeTest {
    @Test
    void lowerCasesTheTypeButNotItsQuotedValues() {
        assertThat(MySqlSourceInspector.lowerCaseOutsideQuotes("ENUM('G','PG','PG-13') ")).isEqualTo("enum('G','PG','PG-13') ");
        assertThat(MySqlSourceInspector.lowerCaseOutsideQuotes("set('Trailers','Behind the Scenes')"))
                .isEqualTo("set('Trailers','Behind the Scenes')");
        assertThat(MySqlSourceInspector.lowerCaseOutsideQuotes("enum('It''s A','b')")).isEqualTo("enum('It''s A','b')");
        assertThat(MySqlSourceInspector.lowerCaseOutsideQuotes("SMALLINT(5) UNSIGNED")).isEqualTo("smallint(5) unsigned");
    }

    @Test
    void anEnumOrSetMemberMetadataShowsAsAQuestionMarkIsUnreadable() {
        // MariaDB's information_schema prints set('a','😀') as set('a','?').
        assertThat(MySqlColumnTypes.hasUnreadableMember("set", "set('a','?')")).isTrue();
        assertThat(MySqlColumnTypes.hasUnreadableMember("enum", "enum('?','b')")).isTrue();
        assertThat(MySqlColumnTypes.hasUnreadableMember("set", "set('a','ä')")).isFalse();
        assertThat(MySqlColumnTypes.hasUnreadableMember("varchar", "varchar(10)")).isFalse();
    }
}
