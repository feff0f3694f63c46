package io.tapflow.dsl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.TableRef;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
    private static final Api API = Api.named("customers").readFrom(new TableRef("demo-pg", "customer"))
            .fields("id", "name", "balance").filterable("balance").sortable("balance").param("min_balance", "balance", "gte")
            .changesBy("updated_at");

    @Test
    void roundTripsThroughJson() {
        assertThat(DefinitionJson.api(DefinitionJson.toJson(API), "api.json")).isEqualTo(API);
    }

    @Test
    void aChangeTopicRoundTripsAndExcludesChangesBy() {
        Api fromTopic = Api.named("customers").readFrom(new TableRef("demo-pg", "customer")).fields("id")
                .changesFrom(new TableRef("events", "shop.customer"));
        assertThat(DefinitionJson.toJson(fromTopic)).contains("\"changesFrom\" : {\n    \"datasource\" : \"events\",\n    \"topic\" : \"shop.customer\"");
        assertThat(DefinitionJson.api(DefinitionJson.toJson(fromTopic), "api.json")).isEqualTo(fromTopic);
        assertThat(ApiValidator.problems(fromTopic.changesBy("updated"))).containsExactly(
                "changes_by('updated') and changes_from('events.shop.customer') both define the change stream; keep one");
    }

    @Test
    void unknownJsonFieldsNameTheFileAndLine() {
        assertThatThrownBy(() -> DefinitionJson.api("\n{\"name\": \"x\", \"filters\": []}", "api.json"))
                .hasMessageContaining("api.json:2").hasMessageContaining("unknown field 'filters'");
    }

    @Test
    void validDefinitionHasNoProblems() {
        assertThat(ApiValidator.problems(API)).isEmpty();
    }

    @Test
    void reservedAndUnsafeNamesAreRefused() {
        Api bad = Api.named("changes").fields("id", "a.b", "$where", "id").param("order", "id", "eq");
        assertThat(ApiValidator.problems(bad)).containsExactly(
                "name 'changes' is not allowed; use a letter or '_', then letters, digits, '_' and '-' (at most 63)",
                "no table: call read_from('datasource.table')",
                "field name 'a.b' is not allowed; use letters, digits, '_' and '-'",
                "field name '$where' is not allowed; use letters, digits, '_' and '-'",
                "field 'id' is listed twice",
                "parameter name 'order' is not allowed; use letters, digits, '_' and '-', not one of " + ApiValidator.RESERVED);
    }
}
