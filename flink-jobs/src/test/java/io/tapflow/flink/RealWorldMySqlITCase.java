package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

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
 * PostgreSQL, MySQL and MongoDB, Kafka's JSON messages and Elasticsearch's documents (and the field types of its indices).
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
     * table (DECIMAL as its exact text, FLOAT with its own digits and the sign of -0.0, bytes as base64, dates as ISO
     * text), written out here from the source's JDBC values.
     */
    @Test
    void kafkaHoldsEverySampleValueInItsJsonForm() throws Exception {
        String db = TestDatabases.freshName("rwmykf");
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db);
        replicate(db, TABLES, kafka, table -> JsonTargetRows.kafka("samples-kafka." + db + "." + table), table -> jsonRows(db, table));
    }

    /**
     * Elasticsearch: every document's _source compared with the same JSON forms, and the field types the indices were
     * created with. Chinook's mixed-case tables are left out: Elasticsearch index names are lower case, and a pipeline
     * writing {@code Invoice} is refused before start (ElasticsearchTargets names the index).
     */
    @Test
    void elasticsearchHoldsEverySampleValueInItsJsonFormAndMapping() throws Exception {
        String db = TestDatabases.freshName("rwmyes");
        List<String> tables = TABLES.stream().filter(t -> t.equals(t.toLowerCase(java.util.Locale.ROOT))).toList();
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        replicate(db, tables, es, table -> JsonTargetRows.elasticsearch(db + "_" + table), table -> jsonRows(db, table));
        Map<String, String> mapped = new TreeMap<>();
        tables.forEach(table -> ElasticsearchDocuments.fieldTypes(db + "_" + table).forEach((f, type) -> mapped.put(table + "." + f, type)));
        assertThat(mapped).containsAllEntriesOf(Map.ofEntries(
                Map.entry("order.key", "long"), // INT UNSIGNED ZEROFILL
                Map.entry("order.größe", "scaled_float 10.0"), // DECIMAL(6,1) UNSIGNED ZEROFILL
                Map.entry("order.flags", "long"), // BIT(3)
                Map.entry("order.yr", "integer"), // YEAR
                Map.entry("order.ratio", "double"),
                Map.entry("order.ratio_half", "double"), // stored generated
                Map.entry("order.label", "keyword"), // virtual generated VARCHAR(40)
                Map.entry("order.group", "keyword"), // SET
                Map.entry("country.SurfaceArea", "float"), // FLOAT(10,2)
                Map.entry("country.Continent", "keyword"), // ENUM
                Map.entry("country.IndepYear", "integer"),
                Map.entry("productlines.image", "binary"), // MEDIUMBLOB
                Map.entry("productlines.htmlDescription", "text"), // MEDIUMTEXT
                Map.entry("productlines.textDescription", "text"), // VARCHAR(4000)
                Map.entry("products.buyPrice", "scaled_float 100.0"), // DECIMAL(10,2)
                Map.entry("employees.birth_date", "date yyyy-MM-dd")));
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows) throws Exception {
        replicate(db, TABLES, target, targetRows, table -> SakilaITCase.mysqlRows(db, table, target.type()));
    }

    private void replicate(String db, List<String> tables, DataSource target, SakilaITCase.TargetRows targetRows,
                           SakilaITCase.TargetRows sourceRows) throws Exception {
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, statements("realworld/mysql-samples.sql"));
        Pipeline pipeline = Pipeline.named("samples-" + target.type())
                .readFrom(tables.stream().map(source::table).toArray(TableRef[]::new)).writeTo(target);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            SakilaITCase.awaitSame(tables, sourceRows, targetRows, job);
            TestDatabases.mysql(db, statements("realworld/mysql-samples-changes.sql"));
            SakilaITCase.awaitSame(tables, sourceRows, targetRows, job);
        }
    }

    /** A source table as the README's JSON table says Kafka and Elasticsearch carry it. */
    private static Map<String, Map<String, String>> jsonRows(String db, String table) {
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), jsonText(rs, i, meta.getColumnTypeName(i).replace(" UNSIGNED", "")
                            .replace(" ZEROFILL", "")));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return JsonTargetRows.byWholeRow(rows);
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
            case "FLOAT" -> "number " + JsonTargetRows.number(Float.toString(rs.getFloat(i)));
            case "DOUBLE" -> "number " + JsonTargetRows.number(Double.toString(rs.getDouble(i)));
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
