package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.udf.GuestCodeException;
import io.tapflow.udf.GuestFunction;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TapFlow's filter conditions and custom queries, translated to tapflow's JavaScript filter and run on rows. */
class TapflowConditionsTest {
    @TempDir
    Path dir;

    private static boolean keeps(String condition, Map<String, Object> row) {
        return keeps(condition, row, "read");
    }

    private static boolean keeps(String condition, Map<String, Object> row, String op) {
        String js = TapflowConditions.javaScript(condition, "filter");
        try (GuestFunction f = GuestFunction.javaScriptExpression("t", js, true, UdfLimits.DEFAULTS)) {
            return f.test(new LinkedHashMap<>(row), op, "shop.people");
        }
    }

    private static Map<String, Object> row(Object id, String sex, Object male) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("sex", sex);
        row.put("male", male);
        row.put("note", null);
        return row;
    }

    @Test
    void tapflowsConditionLanguage() {
        Map<String, Object> ada = row(3, "f", "m");
        assertThat(keeps("id > 2 and sex='f'", ada)).isTrue();
        assertThat(keeps("id > 2 AND sex == \"m\"", ada)).isFalse();
        assertThat(keeps("id >= 4 or not (sex <> 'f')", ada)).isTrue();
        assertThat(keeps("id > 2 && !(sex = 'm') || id = -1", ada)).isTrue();
        assertThat(keeps("note is null and sex is not null and id in (1, 3) and sex not in ('m')", ada)).isTrue();
        assertThat(keeps("id = 3.0 and id != 2", row(new BigDecimal("3.00"), "f", "m"))).isTrue();
        // Bare words are fields, as in TapFlow's parser: sex = male compares two fields.
        assertThat(keeps("sex = male", row(1, "m", "m"))).isTrue();
        assertThat(keeps("`sex` = 'm'", row(1, "m", "m"))).isTrue();
        // JavaScript stays JavaScript: the rule is whether the condition uses record.
        assertThat(TapflowConditions.javaScript("record.id > 2 && record.sex === 'f'", "filter"))
                .isEqualTo("record.id > 2 && record.sex === 'f'");
        assertThat(keeps("sex = 'record'", row(1, "record", "m"))).isTrue();
    }

    @Test
    void aFieldTheRowLacksIsAnErrorOfThatRowNotASilentDrop() {
        assertThatThrownBy(() -> keeps("sex = female", row(1, "f", "m")))
                .isInstanceOf(GuestCodeException.class)
                .hasMessageContaining("the filter condition names field 'female', which the row does not have (its fields: id, sex,"
                        + " male, note); write a text in quotes: 'female'");
        // The old row of a PostgreSQL delete may hold only the key: not an error there, the field is undefined.
        assertThat(keeps("sex = 'f'", Map.of("id", 1), "delete")).isFalse();
        assertThat(keeps("sex = 'f' or id = 1", Map.of("id", 1), "update")).isTrue();
    }

    @Test
    void neitherLanguageNamesThePosition() {
        assertThatThrownBy(() -> TapflowConditions.javaScript("id > > 2", "filter"))
                .isInstanceOf(TapflowException.class)
                .hasMessage("filter \"id > > 2\" is neither JavaScript over record (record.id > 2) nor a TapFlow condition"
                        + " (id > 2 and sex = 'male'): at position 6 expected a value: a field name, a number, a text in quotes,"
                        + " true, false or null, found '>'");
        assertThatThrownBy(() -> TapflowConditions.javaScript("id > 2 sex = 'm'", "filter"))
                .hasMessageEndingWith("at position 8 expected and, or, or the end of the condition, found 'sex'");
        assertThatThrownBy(() -> TapflowConditions.javaScript("name = 'ada", "filter"))
                .hasMessageEndingWith("at position 8: the quote ' is not closed");
        assertThatThrownBy(() -> TapflowConditions.javaScript("Math.abs(x) > 2", "filter"))
                .hasMessageEndingWith("at position 5 expected and, or, or the end of the condition, found '.'");
    }

    @Test
    void simpleQueriesRunAsTheTableStreamWithSteps() {
        SourceQuery q = SourceQuery.parse("SELECT * FROM ecom_orders WHERE status='active'");
        assertThat(q.table()).isEqualTo("ecom_orders");
        assertThat(q.columns()).isEmpty();
        assertThat(q.where()).isEqualTo("status='active'");
        SourceQuery cols = SourceQuery.parse("select id, status from shop.ecom_orders;");
        assertThat(cols.columns()).containsExactly("id", "status");
        assertThat(cols.filter()).isNull();
        assertThatThrownBy(() -> SourceQuery.parse("SELECT * FROM ecom_orders LIMIT 2000"))
                .hasMessage("read_from(query=\"SELECT * FROM ecom_orders LIMIT 2000\"): at position 27 'LIMIT' is not supported;"
                        + " tapflow streams the table and filters it, so a query can only be SELECT * | columns FROM table"
                        + " [WHERE condition]");
        assertThatThrownBy(() -> SourceQuery.parse("SELECT count(*) FROM t"))
                .hasMessageContaining("at position 13 expected FROM, found '('");
    }

    @Test
    void scriptsTakeTapflowsFiltersAndQueries() throws Exception {
        String script = """
                DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()
                Flow('q').read_from('pg.ecom_orders', query="SELECT id, status FROM ecom_orders WHERE status = 'active'") \\
                    .filter("id > 2 and sex=male").write_to('pg.out').save()
                Flow('f').read_from('pg.ecom_orders', filter="id > 2").filter_out('record.id == 7').write_to('pg.out').save()
                """;
        Path file = dir.resolve("q.py");
        Files.writeString(file, script);
        ScriptResult result = PipelineScripts.run(file, Map.of());
        List<Step> steps = result.savedPipelines().get(0).pipeline().steps();
        assertThat(steps).hasSize(3);
        assertThat(((Step.Filter) steps.get(0)).expression()).contains("f(\"status\") == \"active\"");
        assertThat(steps.get(1)).isEqualTo(new Step.IncludeFields(List.of("id", "status")));
        assertThat(((Step.Filter) steps.get(2)).expression()).contains("(f(\"id\") > 2) && (f(\"sex\") == f(\"male\"))");
        assertThat(result.notes()).containsExactly("read_from('pg.ecom_orders', query=...): a query result cannot carry changes, so"
                + " tapflow streams table ecom_orders filtered by status = 'active' with the columns id, status (snapshot, then"
                + " every change)");
        List<Step> second = result.savedPipelines().get(1).pipeline().steps();
        assertThat(((Step.Filter) second.get(0)).expression()).contains("(f(\"id\") > 2)");
        assertThat(second.get(1)).isEqualTo(new Step.Filter("record.id == 7", false));
        // More than a filter: read once by the database, a snapshot-only source, and the output says so.
        Files.writeString(file, "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n"
                + "Flow('q').read_from('pg.a', query='SELECT * FROM a ORDER BY id LIMIT 5').write_to('pg.top').save()\n");
        ScriptResult limited = PipelineScripts.run(file, Map.of());
        SourceSpec source = limited.savedPipelines().get(0).pipeline().sources().get(0);
        assertThat(source).isEqualTo(SourceSpec.query("pg", "a", "SELECT * FROM a ORDER BY id LIMIT 5"));
        assertThat(limited.savedPipelines().get(0).pipeline().steps()).isEmpty();
        assertThat(limited.notes()).containsExactly("read_from('pg.a', query=...): this query is more than a filter of one"
                + " table, and a query result cannot carry changes, so tapflow reads its result once (a snapshot-only read:"
                + " no changes follow, and the job finishes when every row is written)");
        Files.writeString(file, "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n"
                + "Flow('q').read_from('pg.a', limit=5)\n");
        assertThatThrownBy(() -> PipelineScripts.run(file, Map.of())).hasMessageContaining("read_from() has no argument 'limit';"
                + " its keyword arguments are: query, filter");
    }
}
