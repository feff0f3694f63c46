package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TableRef;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four public MySQL sample schemas as their authors declare them, in one source database: {@code world} (latin1,
 * CHAR codes, ENUM, FLOAT(M,D), a composite key), {@code employees} (DATE, ENUM, composite keys), {@code
 * classicmodels} (latin1, DECIMAL, TEXT, MEDIUMTEXT, MEDIUMBLOB) and Chinook (NVARCHAR, NUMERIC(10,2), DATETIME, mixed-case
 * names), plus a table of the shapes they leave out (ZEROFILL, BIT, YEAR, SET, generated columns, reserved-word and
 * non-ASCII names). Their rows (realworld/mysql-samples.sql) hold each type's bounds, NULL, empty and blank-padded
 * text, latin1 and 4-byte UTF-8, -0.0 and a zero date; realworld/mysql-samples-changes.sql inserts, updates and
 * deletes on the stream. Every value of every row is compared with the source's in each target's documented form:
 * PostgreSQL, MySQL and MongoDB, and Kafka's JSON messages.
 */
class RealWorldMySqlITCase {
    static final List<String> TABLES = List.of("city", "country", "countrylanguage", "employees", "departments", "salaries",
            "productlines", "products", "orderdetails", "Invoice", "Track", "PlaylistTrack", "order");

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwmypg");
        replicate(db, TestDatabases.postgresTarget(db), table -> SakilaITCase.postgresRows(db, table));
    }

    @Test
    void mySqlTargetHoldsEverySampleValueInItsDeclaredType() throws Exception {
        String db = TestDatabases.freshName("rwmymy");
        replicate(db, TestDatabases.mysqlTarget(db + "_t"), table -> SakilaITCase.mysqlRows(db + "_t", table, "mysql"));
        // As declared, but FLOAT(M,D) as FLOAT: MySQL refuses on insert some floats FLOAT(M,D) holds (README).
        for (String table : TABLES) {
            Map<String, String> declared = new LinkedHashMap<>(MariaDbRows.columnTypes(db, table));
            declared.replaceAll((column, type) -> type.replaceFirst("^float\\(\\d+,\\d+\\)", "float"));
            assertThat(MariaDbRows.columnTypes(db + "_t", table)).as(table).isEqualTo(declared);
        }
    }

    @Test
    void mongoTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwmymg");
        replicate(db, TestDatabases.mongoTarget(db), table -> SakilaITCase.mongoRows(db, table));
    }

    /**
     * Kafka: each table's topic, latest message per key, every field compared with the JSON form of the README's
     * table (DECIMAL as its exact text, FLOAT with its own digits, bytes as base64, dates as ISO text), written out
     * here from the source's JDBC values.
     */
    @Test
    void kafkaHoldsEverySampleValueInItsJsonForm() throws Exception {
        String db = TestDatabases.freshName("rwmykf");
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db);
        replicate(db, kafka, table -> kafkaRows("samples-kafka." + db + "." + table), table -> jsonRows(db, table));
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows) throws Exception {
        replicate(db, target, targetRows, table -> SakilaITCase.mysqlRows(db, table, target.type()));
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows, SakilaITCase.TargetRows sourceRows)
            throws Exception {
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, statements("realworld/mysql-samples.sql"));
        Pipeline pipeline = Pipeline.named("samples-" + target.type())
                .readFrom(TABLES.stream().map(source::table).toArray(TableRef[]::new)).writeTo(target);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            SakilaITCase.awaitSame(TABLES, sourceRows, targetRows, job);
            TestDatabases.mysql(db, statements("realworld/mysql-samples-changes.sql"));
            SakilaITCase.awaitSame(TABLES, sourceRows, targetRows, job);
        }
    }

    /** The latest row of each key in a topic (a delete removes it), each field as a typed text of its JSON value. */
    private static Map<String, Map<String, String>> kafkaRows(String topic) {
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        for (KafkaTopicReader.Message m : KafkaTopicReader.read(topic, false)) {
            JsonNode after = m.value() == null ? null : StreamingTargetsValueEdgesITCase.exact(m.value()).path("after");
            if (after == null || after.isNull() || after.isMissingNode()) {
                byKey.remove(m.key());
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            after.fields().forEachRemaining(f -> row.put(f.getKey(), f.getValue().isNull() ? "null"
                    : f.getValue().isNumber() ? "number " + f.getValue().decimalValue().stripTrailingZeros().toPlainString()
                    : "text " + f.getValue().asText()));
            byKey.put(m.key(), row);
        }
        Map<String, Map<String, String>> rows = new TreeMap<>();
        byKey.values().forEach(row -> rows.put(new TreeMap<>(row).toString(), row));
        return rows;
    }

    /** A source table as the README's JSON table says Kafka carries it. */
    private static Map<String, Map<String, String>> jsonRows(String db, String table) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), jsonText(rs, i, meta.getColumnTypeName(i).replace(" UNSIGNED", "")
                            .replace(" ZEROFILL", "")));
                }
                rows.put(new TreeMap<>(row).toString(), row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static String jsonText(ResultSet rs, int i, String type) throws SQLException {
        String text = rs.getString(i);
        // A zero date is NULL under the default zero-date=null.
        if (text == null || type.equals("DATE") && text.startsWith("0000-00-00")) {
            return "null";
        }
        return switch (type) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "YEAR" -> "number " + rs.getBigDecimal(i).toPlainString();
            case "BIT" -> "number " + (rs.getObject(i) instanceof byte[] bits ? new BigInteger(1, bits) : rs.getBigDecimal(i));
            case "DECIMAL" -> "text " + rs.getBigDecimal(i).toPlainString();
            case "FLOAT" -> "number " + new BigDecimal(Float.toString(rs.getFloat(i))).stripTrailingZeros().toPlainString();
            case "DOUBLE" -> "number " + new BigDecimal(Double.toString(rs.getDouble(i))).stripTrailingZeros().toPlainString();
            case "DATE" -> "text " + rs.getObject(i, LocalDate.class);
            case "DATETIME" -> "text " + DATETIME.format(rs.getObject(i, LocalDateTime.class));
            case "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BINARY", "VARBINARY" -> "text " + Base64.getEncoder().encodeToString(rs.getBytes(i));
            default -> "text " + text;
        };
    }

    /** The statements of a SQL resource, one per line ending in a semicolon. */
    static String[] statements(String resource) throws IOException {
        try (InputStream in = RealWorldMySqlITCase.class.getClassLoader().getResourceAsStream(resource)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(sql.split(";\n")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
        }
    }
}
