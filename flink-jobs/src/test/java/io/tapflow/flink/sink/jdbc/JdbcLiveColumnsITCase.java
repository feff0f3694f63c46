package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.Test;

/**
 * A JDBC writer whose target table changed under it (a schema change another subtask's rows made first): rows of the
 * old shape are written once the writer has read the table's columns again, rows of the new shape write the new column.
 */
class JdbcLiveColumnsITCase {
    private static final Column ID = new Column("id", "int", "int(11)", -1, 10, 0, false, false);
    private static final Column A = new Column("a", "varchar", "varchar(10)", 10, -1, -1, true, false);
    private static final Column C = new Column("c", "int", "int(11)", -1, 10, 0, true, false);

    @Test
    void rowsOfTheOldShapeAreWrittenAfterAColumnWasDroppedAndNewShapesTakeNewColumns() throws Exception {
        String db = "livecols_" + ProcessHandle.current().pid();
        PostgresServer pg = SharedServers.postgres();
        pg.createDatabase(db);
        DataSource ds = DataSource.of("postgres", "live").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(db).resolved();
        TargetTable t = new TargetTable("d.t", "t", List.of("id"), List.of(ID, A, C));
        JdbcTargets targets = new JdbcTargets(new PostgresDialect());
        targets.prepare(ds, List.of(t));
        try (SinkWriter<ChangeEvent> writer = targets.createWriter(ds, List.of(t))) {
            writer.write(insert(1, "x", 1), null);
            writer.flush(true);
            sql(db, "ALTER TABLE t DROP COLUMN c", "ALTER TABLE t ADD COLUMN note varchar(40) NULL");
            writer.write(insert(2, "y", 2), null);
            writer.flush(true);
            Map<String, Object> newShape = new LinkedHashMap<>(Map.of("id", 3, "a", "z"));
            newShape.put("note", "n");
            writer.write(new ChangeEvent(Op.INSERT, "d.t", Map.of("id", 3), null, newShape, 0), null);
            writer.flush(true);
        }
        assertThat(rows(db)).containsExactly("1:x:null", "2:y:null", "3:z:n");
    }

    private static ChangeEvent insert(int id, String a, int c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("a", a);
        row.put("c", c);
        return new ChangeEvent(Op.INSERT, "d.t", Map.of("id", id), null, row, 0);
    }

    private static void sql(String db, String... statements) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private static List<String> rows(String db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, a, note FROM t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
            }
        }
        return out;
    }
}
