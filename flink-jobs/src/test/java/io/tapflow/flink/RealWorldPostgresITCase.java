package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TableRef;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three public PostgreSQL sample schemas as their authors declare them, in one source database: Northwind for
 * PostgreSQL (smallint keys, bpchar without a length, real, bytea, a composite key), Chinook 1.4 for PostgreSQL (quoted
 * mixed-case names, NUMERIC(10,2), TIMESTAMP) and two tables of AdventureWorks for PostgreSQL (its domains over
 * varchar and boolean, uuid rowguids, xml, numeric without precision). Their rows (realworld/postgres-samples.sql)
 * hold each type's bounds, NULL, empty and blank-padded text, 4-byte UTF-8 and -0.0;
 * realworld/postgres-samples-changes.sql inserts, updates and deletes on the stream. Every value of every row is
 * compared with the source's in each target's documented form: PostgreSQL, MySQL, MongoDB, Kafka's JSON messages and
 * Elasticsearch's documents (and the field types of its indices).
 */
class RealWorldPostgresITCase {
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    static final List<String> TABLES = List.of("categories", "customer_demographics", "customers", "products", "order_details",
            "Artist", "Invoice", "Track", "PlaylistTrack", "person", "product", "emailaddress");

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwpgpg");
        replicate(db, TestDatabases.postgresTarget(db + "_t"), table -> PagilaITCase.postgresRows(db + "_t", table, "postgres"));
    }

    @Test
    void mySqlTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwpgmy");
        replicate(db, TestDatabases.mysqlTarget(db + "_t"), table -> SakilaITCase.mysqlRows(db + "_t", table, "mysql"));
    }

    @Test
    void mongoTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwpgmg");
        replicate(db, TestDatabases.mongoTarget(db + "_t"), table -> SakilaITCase.mongoRows(db + "_t", table));
    }

    /**
     * Kafka: each table's topic, latest message per key, every field compared with the README's JSON forms (numeric
     * and the domain over numeric as exact text, real with its own digits and the sign of -0, bytea as base64,
     * timestamp as ISO text, xml, citext, uuid and bpchar as written), written out here from the source's JDBC values.
     */
    @Test
    void kafkaHoldsEverySampleValueInItsJsonForm() throws Exception {
        String db = TestDatabases.freshName("rwpgkf");
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db).option("topic", db + ".{table}");
        replicate(db, TABLES, kafka, table -> JsonTargetRows.kafka(db + "." + table), table -> jsonRows(db, table));
    }

    /**
     * Elasticsearch: every document's _source in the same JSON forms, and the field types the indices were created
     * with. Chinook's quoted mixed-case tables are left out: index names are lower case (refused before start).
     */
    @Test
    void elasticsearchHoldsEverySampleValueInItsJsonFormAndMapping() throws Exception {
        String db = TestDatabases.freshName("rwpges");
        List<String> tables = TABLES.stream().filter(t -> t.equals(t.toLowerCase(Locale.ROOT))).toList();
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        replicate(db, tables, es, table -> JsonTargetRows.elasticsearch(db + "_" + table), table -> jsonRows(db, table));
        Map<String, String> mapped = new TreeMap<>();
        tables.forEach(table -> ElasticsearchDocuments.fieldTypes(db + "_" + table).forEach((f, type) -> mapped.put(table + "." + f, type)));
        assertThat(mapped).containsAllEntriesOf(Map.ofEntries(
                Map.entry("categories.category_id", "integer"), // smallint
                Map.entry("categories.picture", "binary"), // bytea
                Map.entry("customer_demographics.customer_type_id", "text"), // bpchar without a length
                Map.entry("products.unit_price", "float"), // real
                Map.entry("person.namestyle", "boolean"), // domain over boolean
                Map.entry("person.persontype", "keyword"), // char(2)
                Map.entry("person.firstname", "keyword"), // domain over varchar(50)
                Map.entry("person.additionalcontactinfo", "text"), // xml
                Map.entry("person.rowguid", "keyword"), // uuid
                Map.entry("person.modifieddate", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS"),
                Map.entry("product.standardcost", "keyword"), // numeric without precision
                Map.entry("product.weight", "scaled_float 100.0"), // decimal(8,2)
                Map.entry("emailaddress.emailaddress", "text"), // citext
                Map.entry("emailaddress.credit", "keyword"))); // domain over numeric(19,4): a double would round it
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows) throws Exception {
        replicate(db, TABLES, target, targetRows, table -> PagilaITCase.postgresRows(db, table, target.type()));
    }

    private void replicate(String db, List<String> tables, DataSource target, SakilaITCase.TargetRows targetRows,
                           SakilaITCase.TargetRows sourceRows) throws Exception {
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, RealWorldMySqlITCase.statements("realworld/postgres-samples.sql"));
        String name = "pgsamples-" + target.type();
        Pipeline pipeline = Pipeline.named(name).readFrom(tables.stream().map(source::table).toArray(TableRef[]::new))
                .writeTo(target);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            SakilaITCase.awaitSame(tables, sourceRows, targetRows, job);
            TestDatabases.postgres(db, RealWorldMySqlITCase.statements("realworld/postgres-samples-changes.sql"));
            SakilaITCase.awaitSame(tables, sourceRows, targetRows, job);
        } finally {
            // The replication slot outlives the job; release it as tapflow delete does.
            ConnectorFactories.source("postgres").release(source, name);
        }
    }

    /** A source table as the README's JSON table says Kafka and Elasticsearch carry it. */
    private static Map<String, Map<String, String>> jsonRows(String db, String table) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM public.\"" + table + "\"")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getObject(i) == null ? "null" : jsonText(rs, i, meta.getColumnTypeName(i)));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return JsonTargetRows.byWholeRow(rows);
    }

    private static String jsonText(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "int2", "int4", "int8", "serial" -> "number " + rs.getString(i);
            case "numeric" -> "text " + new BigDecimal(rs.getString(i)).toPlainString();
            case "float4" -> "number " + JsonTargetRows.number(Float.toString(rs.getFloat(i)));
            case "float8" -> "number " + JsonTargetRows.number(Double.toString(rs.getDouble(i)));
            case "bool" -> "text " + rs.getBoolean(i);
            case "bytea" -> "text " + Base64.getEncoder().encodeToString(rs.getBytes(i));
            // The samples' timestamps are of years 1..9999 and whole microseconds.
            case "timestamp" -> "text " + DATETIME.format(LocalDateTime.parse(rs.getString(i).replace(' ', 'T')));
            default -> "text " + rs.getString(i);
        };
    }
}
