package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Source declarations a MySQL target cannot take as they are. */
class MySqlTargetColumnsTest {
    private static final MySqlDialect MYSQL = new MySqlDialect();

    @Test
    void floatWithDigitsIsDeclaredAsAPlainFloat() {
        // FLOAT(10,2) holds the float 1.0E8 (from 99999999.00) but refuses to insert it.
        assertThat(MYSQL.columnType(new Column("gnp", "float", "float(10,2)", -1, 10, 2, true, false))).isEqualTo("float");
        assertThat(MYSQL.columnType(new Column("p", "float", "float(4,1) unsigned", -1, 4, 1, true, true))).isEqualTo("float unsigned");
        assertThat(MYSQL.columnType(new Column("r", "double", "double(20,2)", -1, 20, 2, true, false))).isEqualTo("double");
        assertThat(MYSQL.columnType(new Column("f", "float", "float", -1, -1, -1, true, false))).isEqualTo("float");
    }

    @Test
    void textKeyColumnsShareInnoDbsKeyLengthAsVarchar() {
        Column id = new Column("customer_id", "text", "longtext", -1, -1, -1, false, false);
        Column type = new Column("type_id", "text", "longtext", -1, -1, -1, false, false);
        Column note = new Column("note", "text", "longtext", -1, -1, -1, true, false);
        assertThat(MYSQL.createTableSql("`c`", new TargetTable("public.c", "c", List.of("customer_id"), List.of(id, note))))
                .isEqualTo("CREATE TABLE `c` (\n  `customer_id` varchar(768) NOT NULL,\n  `note` longtext NULL,\n"
                        + "  PRIMARY KEY (`customer_id`)\n)");
        assertThat(MYSQL.createTableSql("`d`", new TargetTable("public.d", "d", List.of("customer_id", "type_id"), List.of(id, type))))
                .contains("`customer_id` varchar(384) NOT NULL", "`type_id` varchar(384) NOT NULL");
    }
}
