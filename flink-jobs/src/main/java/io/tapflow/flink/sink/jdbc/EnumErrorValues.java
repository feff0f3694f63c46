package io.tapflow.flink.sink.jdbc;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the ENUM column holding MySQL's error value: '' at index 0, which a server not in strict mode stores for a
 * value outside the members and both source paths deliver as it is. A MySQL target's sessions are strict, and a
 * strict session refuses '' (as it would 0) with only "Data truncated for column"; looked for once a write failed
 * so, that the refusal says why.
 */
final class EnumErrorValues {
    /** MySQL's and MariaDB's WARN_DATA_TRUNCATED, an error in a strict session. */
    private static final int DATA_TRUNCATED = 1265;

    private EnumErrorValues() {}

    /** A sentence naming the first ENUM column of the rows holding the error value; empty when none does. */
    static Optional<String> firstHolder(int errorCode, TargetTable table, List<Map<String, Object>> rows) {
        if (errorCode != DATA_TRUNCATED) {
            return Optional.empty();
        }
        for (Map<String, Object> row : rows) {
            for (Column c : table.columns()) {
                if (c.dataType().equals("enum") && "".equals(row.get(c.name())) && !members(c.columnType()).contains("")) {
                    return Optional.of("column '" + c.name() + "' holds '', MySQL's error value of an ENUM (index 0, stored by"
                            + " a server not in strict mode for a value outside the members), which the target column "
                            + c.columnType() + " cannot take in tapflow's strict sessions");
                }
            }
        }
        return Optional.empty();
    }

    /** The members of an {@code enum('a','it''s')} declaration, a quote written twice inside a member kept once. */
    static List<String> members(String columnType) {
        List<String> members = new ArrayList<>();
        StringBuilder member = null;
        for (int i = columnType.indexOf('(') + 1; i > 0 && i < columnType.length(); i++) {
            char ch = columnType.charAt(i);
            if (member == null) {
                if (ch == '\'') {
                    member = new StringBuilder();
                }
            } else if (ch == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                member.append('\'');
                i++;
            } else if (ch == '\'') {
                members.add(member.toString());
                member = null;
            } else {
                member.append(ch);
            }
        }
        return members;
    }
}
