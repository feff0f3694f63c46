package io.tapflow.flink.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared Kafka columns: the declaration text, and each JSON value read exactly or refused with the reason. */
class KafkaColumnValuesTest {
    private static final List<Column> COLUMNS = declare("id bigint not null, qty smallint, price decimal(10,2), "
            + "ratio float, share double, ok boolean, code varchar(3), note text, doc json, day date, at datetime(3), "
            + "paid timestamp(6), took time(6), raw blob");

    private static List<Column> declare(String text) {
        List<String> problems = new ArrayList<>();
        List<Column> columns = KafkaColumnDeclarations.parse(text, problems);
        assertThat(problems).isEmpty();
        return columns;
    }

    private static Column column(String name) {
        return COLUMNS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static Object value(String name, String json) throws Exception {
        JsonNode node = KafkaMessageParser.JSON.readTree(json);
        return KafkaColumnValues.value(column(name), node);
    }

    @Test
    void declarationsGiveTapflowColumnTypes() {
        assertThat(COLUMNS).startsWith(new Column("id", "bigint", "bigint", -1, -1, -1, false, false),
                new Column("qty", "smallint", "smallint", -1, -1, -1, true, false),
                new Column("price", "decimal", "decimal(10,2)", -1, 10, 2, true, false));
        assertThat(column("at")).isEqualTo(new Column("at", "datetime", "datetime(3)", -1, 3, -1, true, false));
        assertThat(column("ok").columnType()).isEqualTo("tinyint(1)");
        List<String> problems = new ArrayList<>();
        KafkaColumnDeclarations.parse("id bigint, price money, id int, x decimal(70,2)", problems);
        assertThat(problems).containsExactly(
                "'price money' is not a column declaration such as 'price decimal(10,2) not null'; types: "
                        + KafkaColumnDeclarations.ALLOWED,
                "column 'id' is declared twice",
                "'x decimal(70,2)' is not a column declaration such as 'price decimal(10,2) not null'; types: "
                        + KafkaColumnDeclarations.ALLOWED);
    }

    @Test
    void valuesInTheFormsOfTheJsonValueTableAreReadExactly() throws Exception {
        assertThat(value("id", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(value("qty", "-32768")).isEqualTo(-32768);
        assertThat(value("price", "\"12.5\"")).isEqualTo(new BigDecimal("12.50"));
        assertThat(value("price", "99999999.99")).isEqualTo(new BigDecimal("99999999.99"));
        assertThat(value("ratio", "0.1")).isEqualTo(0.1f);
        assertThat(value("ratio", "0.10000000149011612")).isEqualTo(0.1f); // the float's exact binary value
        assertThat(value("share", "4.9E-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(value("ok", "true")).isEqualTo(true);
        assertThat(value("code", "\"😀ab\"")).isEqualTo("😀ab");
        assertThat(value("note", "{\"a\":1}")).isEqualTo("{\"a\":1}");
        assertThat(value("doc", "\"[1,2]\"")).isEqualTo("[1,2]");
        assertThat(value("doc", "{\"k\":[true]}")).isEqualTo("{\"k\":[true]}");
        assertThat(value("day", "\"-4712-01-01\"")).isEqualTo(LocalDate.of(-4712, 1, 1));
        assertThat(value("at", "\"2024-02-29T13:14:15.123\"")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000));
        assertThat(value("paid", "\"2024-02-29T13:14:15.123456+02:00\"")).isEqualTo(Instant.parse("2024-02-29T11:14:15.123456Z"));
        assertThat(value("took", "\"-838:59:59.000001\"")).isEqualTo(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59).minusNanos(1000));
        assertThat((byte[]) value("raw", "\"AP8=\"")).containsExactly(0, 255);
        assertThat(value("price", "null")).isNull();
    }

    @Test
    void whatAColumnCannotHoldExactlyIsRefusedWithTheReason() {
        assertRefused("qty", "40000", "field 'qty' holds 40000, which column qty (smallint) cannot hold: a whole number from"
                + " -32768 to 32767 is what smallint holds");
        assertRefused("id", "1.5", "which column id (bigint) cannot hold: a whole number from");
        assertRefused("price", "\"12.345\"", "field 'price' holds '12.345', which column price (decimal(10,2)) cannot hold: it"
                + " has more than the 2 fraction digits decimal(10,2) holds");
        assertRefused("price", "123456789", "it has more than the 8 integer digits decimal(10,2) holds");
        assertRefused("ratio", "0.123456789", "a float cannot hold it exactly (nearest: 0.12345679); declare double or decimal");
        assertRefused("ratio", "1e39", "a float cannot hold it exactly");
        assertRefused("ok", "1", "a boolean is true or false");
        assertRefused("code", "\"abcd\"", "it has 4 characters, more than varchar(3) holds");
        assertRefused("doc", "\"{not json\"", "the text is not JSON");
        assertRefused("day", "\"2024-02-30\"", "not a date value");
        assertRefused("at", "\"2024-02-29T13:14:15.1234\"", "it has more than the 3 fraction digits datetime(3) keeps");
        assertRefused("paid", "\"2024-02-29T13:14:15\"", "a timestamp needs its offset");
        assertRefused("took", "\"12:00\"", "not a time(6) value");
        assertRefused("raw", "\"not base64!\"", "not a longblob value");
        assertRefused("day", "20240229", "expected a JSON string for date");
    }

    private static void assertRefused(String column, String json, String message) {
        assertThatThrownBy(() -> value(column, json)).hasMessageContaining(message);
    }
}
