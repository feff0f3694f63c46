package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.NameCase;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TapFlow's own published scripts, as its README and API reference write them, run through tapflow's script DSL. */
class TapflowScriptsTest {
    /** TapFlow's README, "Run Python Code using TapFlow command", character for character (trailing blanks included). */
    static final String TAPFLOW_README_SCRIPT = """
            from tapflow.lib import *
            from tapflow.cli.cli import init
                               \s
            mysql_conn = DataSource('mysql', 'MySQL_ECommerce',\s
                                {
                                'database': 'ECommerceData', \s
                                'port': 3306,                \s
                                'host': 'demo.tapdata.io',     \s
                                'username': 'demouser', \s
                                'password': 'demopass'  \s
                                })
                                .type('source')
                                .save()  \s
                               \s
            mongodb_conn = DataSource("mongodb", "MongoDB_ECommerce",
                                {
                                    "uri": "mongodb://your_username:your_passwd@192.168.1.18:27017/ecommerce?authSource=admin"
                                })
                                .type("target")
                                .save()

            def pyfunc(record):
                if not record['order_status'] :
                    record['order_status']  = 'invalid'
                if record['order_status'] == 'SendError' :
                    record['order_status'] = 'undeliverable'
                return record
                \s
            myflow = Flow("mysql_order_flow") \\
                   .read_from("MySQL_ECommerce.ecom_orders") \\
                   .exclude("order_delivered_carrier_date", "order_delivered_customer_date")  \\
                   .rename_fields({'order_purchase_timestamp': 'purchase_timestamp'})  \\
                   .py(pyfunc)
                   .lookup("MySQL_ECommerce.ecom_customers", relation=[["customer_id", "customer_id"]]) \\
                   .write_to("MongoDB_ECommerce.wide_orders_collection") \\
                   .save()

            myflow.start() # Start the flow
            """;

    @TempDir
    Path dir;

    /** TapFlow's README shows the customer's fields at the root of each order document: an empty path merges them. */
    @Test
    void tapflowsReadmeScriptDefinesTheFlowWithItsLookup() throws Exception {
        ScriptResult result = PipelineScripts.run(write("order_mview.py", TAPFLOW_README_SCRIPT), Map.of());
        assertThat(result.savedDataSources()).extracting(ds -> ds.name()).containsExactly("MySQL_ECommerce", "MongoDB_ECommerce");
        assertThat(result.savedDataSources().get(0).options()).containsEntry("port", "3306").containsEntry("host", "demo.tapdata.io");
        assertThat(result.savedDataSources().get(1).options()).containsEntry("database", "ecommerce");
        Pipeline flow = result.started().get(0).pipeline();
        assertThat(flow.name()).isEqualTo("mysql_order_flow");
        assertThat(flow.steps()).hasSize(4).element(2).isInstanceOf(Step.PyUdf.class);
        assertThat(((Step.PyUdf) flow.steps().get(2)).origin()).isEqualTo("order_mview.py:22");
        assertThat(flow.steps().get(3)).isEqualTo(new Step.Lookup("MySQL_ECommerce", "ecom_customers",
                List.of(new Step.JoinField("customer_id", "customer_id")), null, false, List.of(), "", List.of()));
        assertThat(flow.target().table()).isEqualTo("wide_orders_collection");
    }

    @Test
    void tapflowImportsProvideTheDsl() throws Exception {
        String script = """
                import tapflow.lib
                from tapflow.lib.data_pipeline.pipeline import Flow as F
                from tapflow.lib.data_pipeline.data_source import DataSource as D
                from tapflow.cli.cli import init
                init()
                assert tapflow.lib.Flow is F and D is DataSource
                D('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()
                F('f').read_from('pg.a').write_to('pg.b').start()
                """;
        assertThat(PipelineScripts.run(write("imports.py", script), Map.of()).started()).hasSize(1);
    }

    @Test
    void methodLinesJoinLineForLineAndAnyOtherSyntaxErrorKeepsItsLine() throws Exception {
        assertThat(PythonLines.joinMethodLines("x = f(1,\n  2)  # two\n  .g()\n\n  .h()\ny = '''a\n.b'''\n"))
                .isEqualTo("x = f(1,\n  2) \\\n  .g()\n\n  .h()\ny = '''a\n.b'''\n");
        String script = "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n"
                + "\n"
                + "f = Flow('f') \\\n"
                + "    .read_from('pg.a')\n"
                + "\n"
                + "    .write_to('pg.b')\n";
        assertThatThrownBy(() -> PipelineScripts.run(write("gap.py", script), Map.of()))
                .hasMessage("gap.py:6: Python syntax error: IndentationError: unexpected indent");
        assertThatThrownBy(() -> PipelineScripts.run(write("indent.py", "x = 1\nif x:\n    y = 1\n\n    z = 2\n  w = 3\n"), Map.of()))
                .hasMessage("indent.py:6: Python syntax error: IndentationError: unindent does not match any outer indentation level");
        assertThat(PythonLines.unexpectedIndent("def f(r):\n    if r:\n        return (1,\n 2)\n    return r\nx = 1\n  y = 2\n"))
                .isEqualTo(7);
        assertThatThrownBy(() -> PipelineScripts.run(write("colon.py", "x = 1\ny = 2\nif x = y:\n    pass\n"), Map.of()))
                .hasMessageStartingWith("colon.py:3: Python syntax error: ");
    }

    @Test
    void unsupportedMethodsAndTypos() throws Exception {
        String base = "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n"
                + "f = Flow('f').read_from('pg.a')\n";
        assertThatThrownBy(() -> PipelineScripts.run(write("u.py", base + "f.union(Flow('g'), name='u')\n"), Map.of()))
                .hasMessageStartingWith("u.py:3: union(Flow(...)): a union's branch is a table");
        assertThatThrownBy(() -> PipelineScripts.run(write("t.py", base + "f.exlcude('a')\n"), Map.of()))
                .hasMessage("t.py:3: AttributeError: Flow has no method 'exlcude'; did you mean 'exclude'?");
        assertThatThrownBy(() -> PipelineScripts.run(write("j.js", "Flow('f').merge('pg.b', {relation: []})\n"), Map.of()))
                .hasMessageStartingWith("j.js:1: Flow.merge is not supported yet");
    }

    @Test
    void tapflowSpellingsOfExistingSteps() throws Exception {
        String script = "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n"
                + "Flow('f').read_from('pg.a').renameField({'a': 'b'}).rename('c', 'd').filter_columns(['x', 'y'], 'delete')\\\n"
                + "    .filter_columns(['b', 'd']).typeMap('b', 'integer').add_date_field('seen').skip_error_event_by_limit(5)\\\n"
                + "    .write_to('pg').renameTable('ods_', '').save()\n";
        Pipeline p = PipelineScripts.run(write("s.py", script), Map.of()).savedPipelines().get(0).pipeline();
        assertThat(p.steps()).containsExactly(new Step.RenameFields(Map.of("a", "b")), new Step.RenameFields(Map.of("c", "d")),
                new Step.ExcludeFields(List.of("x", "y")), new Step.IncludeFields(List.of("b", "d")),
                new Step.ChangeType("b", io.tapflow.dsl.FieldType.INTEGER), new Step.AddField("seen", FieldValue.now()),
                new Step.RenameTables("ods_", ""));
        assertThat(p.settings().onError()).isEqualTo(ErrorPolicy.skip(5));
    }

    /** TapFlow documents no case for renameTable; tapflow's {@code case} is a keyword in Python and a third argument in JS. */
    @Test
    void renameTablesTakesACaseInEverySpelling() throws Exception {
        String ds = "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n";
        Pipeline py = PipelineScripts.run(write("c.py", ds + "Flow('f').read_from('pg.a').write_to('pg')"
                + ".rename_tables(case='lower').renameTable(prefix='ods_', case='UPPER').save()\n"), Map.of())
                .savedPipelines().get(0).pipeline();
        assertThat(py.steps()).containsExactly(new Step.RenameTables("", "", NameCase.LOWER),
                new Step.RenameTables("ods_", "", NameCase.UPPER));
        Pipeline js = PipelineScripts.run(write("c.js", ds.replace("\n", ";\n") + "Flow('f').readFrom('pg.a').writeTo('pg')"
                + ".renameTables('', '_x', 'lower').save();\n"), Map.of()).savedPipelines().get(0).pipeline();
        assertThat(js.steps()).containsExactly(new Step.RenameTables("", "_x", NameCase.LOWER));
        assertThatThrownBy(() -> PipelineScripts.run(write("bad.py", ds + "Flow('f').read_from('pg.a').write_to('pg')"
                + ".rename_tables(case='title').save()\n"), Map.of()))
                .hasMessage("bad.py:2: rename_tables(prefix, suffix, case): unknown table name case 'title'; allowed: lower, upper, unchanged");
    }

    /** The examples of TapFlow's data-flow API reference, as written there, once a datasource is defined. */
    @Test
    void tapflowsApiReferenceExamples() throws Exception {
        String script = """
                DataSource('mysql', 'mySqlSource', {'host': 'h', 'username': 'u', 'database': 'shop'}).save()
                jscode = '''
                if (record.order_status == 'delivered') {
                    record.confirmation_status = 1;  // Adds a confirmation field to delivered orders
                }
                return record;  // Returns the processed record
                '''

                flow = Flow("Order_Status_Update")  \\
                          .read_from(mySqlSource.ecom_orders)  \\
                          .js(jscode)  \\
                          .write_to(mongodbSource.updatedCollection)  \\
                          .save();
                flow = Flow("Add_Field_Test")  \\
                          .read_from(mySqlSource.ecom_orders)  \\
                          .add_fields([['status_flag', 'String', "'completed'"], ['order_value', 'Double', '100.5']])  \\
                          .write_to(mongodbSource.additionalFieldsCollection)  \\
                          .save();
                flow = Flow("Include_Fields_Test")  \\
                          .read_from(mySqlSource.ecom_orders)  \\
                          .include("order_status", "order_id")  \\
                          .write_to(mongodbSource.includedFieldsCollection)  \\
                          .save();
                """;
        Map<String, DataSource> catalog = Map.of("mongodbSource", new DataSource("mongodb", "mongodbSource",
                Map.of("uri", "mongodb://h:27017", "database", "shop")));
        ScriptResult result = PipelineScripts.run(write("reference.py", script), catalog);
        assertThat(result.savedPipelines()).extracting(s -> s.pipeline().name() + " -> " + s.pipeline().target().table())
                .containsExactly("Order_Status_Update -> updatedCollection", "Add_Field_Test -> additionalFieldsCollection",
                        "Include_Fields_Test -> includedFieldsCollection");
        assertThat(result.savedPipelines().get(0).pipeline().sources().get(0).tables()).containsExactly("ecom_orders");
        // A name the script gives another value keeps it; so do Python's own names.
        assertThat(PipelineScripts.run(write("own.py", "mongodbSource = 'mine'\nassert mongodbSource == 'mine'\n"), catalog)
                .savedPipelines()).isEmpty();
        assertThat(PipelineScripts.run(write("builtin.py", "assert print.__name__ == 'print'\n"), Map.of("print",
                new DataSource("mongodb", "print", Map.of("uri", "mongodb://h:27017", "database", "shop")))).savedPipelines()).isEmpty();
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
