package io.tapflow.flink.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.Op;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each format's truncate message, as tapflow's Kafka target and Debezium/Canal write it, is a TRUNCATE without rows,
 * naming the source table where the format has one.
 */
class KafkaMessageParserTest {

    @Test
    void eachFormatsTruncateMessageIsATruncate() {
        assertThat(parse("debezium-json", null, "{\"before\":null,\"after\":null,\"source\":{\"db\":\"s\",\"table\":\"t\","
                + "\"ts_ms\":7},\"op\":\"t\",\"ts_ms\":9}")).containsExactly(new KafkaMessageParser.Parsed(Op.TRUNCATE, null, null, 7, "s.t"));
        assertThat(parse("canal-json", null, "{\"data\":null,\"old\":null,\"database\":\"s\",\"table\":\"t\",\"pkNames\":[\"id\"],"
                + "\"isDdl\":true,\"sql\":\"TRUNCATE TABLE s.t\",\"type\":\"TRUNCATE\",\"es\":7,\"ts\":9}"))
                .containsExactly(new KafkaMessageParser.Parsed(Op.TRUNCATE, null, null, 7, "s.t"));
        assertThat(parse("json", "__op", "{\"__op\":\"t\"}")).containsExactly(new KafkaMessageParser.Parsed(Op.TRUNCATE, null, null, 1));
    }

    /** tapflow's Kafka target writes a union's truncate as the op field plus the field that tells its tables apart. */
    @Test
    void aJsonTruncateWithMoreFieldsNamesWhatThoseFieldsSay() {
        assertThat(parse("json", "__op", "{\"__op\":\"t\",\"source_table\":\"shop.t\"}"))
                .containsExactly(new KafkaMessageParser.Parsed(Op.TRUNCATE, null, null, 1, "source_table=shop.t"));
    }

    @Test
    void aRowMessageNamesItsSourceTableWhereTheFormatHasOne() {
        assertThat(parse("debezium-json", null, "{\"before\":null,\"after\":{\"id\":1},\"source\":{\"db\":\"s\","
                + "\"table\":\"a\"},\"op\":\"c\"}")).extracting(KafkaMessageParser.Parsed::sourceTable).containsExactly("s.a");
        assertThat(parse("canal-json", null, "{\"data\":[{\"id\":1},{\"id\":2}],\"database\":\"s\",\"table\":\"b\","
                + "\"isDdl\":false,\"type\":\"INSERT\"}")).extracting(KafkaMessageParser.Parsed::sourceTable)
                .containsExactly("s.b", "s.b");
        assertThat(parse("json", "__op", "{\"id\":1,\"__op\":\"c\"}")).extracting(KafkaMessageParser.Parsed::sourceTable)
                .containsExactly((String) null);
    }

    @Test
    void anUnknownOperationIsRefusedNamingTheOnesAllowed() {
        assertThatThrownBy(() -> parse("debezium-json", null, "{\"before\":null,\"after\":null,\"op\":\"x\"}"))
                .isInstanceOf(TapflowException.class)
                .hasMessage("not a debezium-json change: field 'op' is 'x', expected c, u, d, r or t");
        assertThatThrownBy(() -> parse("json", "__op", "{\"__op\":\"x\"}"))
                .hasMessage("field '__op' is 'x', expected c, u, d, r or t");
    }

    private static List<KafkaMessageParser.Parsed> parse(String format, String opField, String value) {
        return new KafkaMessageParser(format, opField).parse(null, value.getBytes(StandardCharsets.UTF_8), 1);
    }
}
