package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineScriptsTest {
    static final String TAPFLOW_README = """
            DataSource('mysql', 'MySQL_ECommerce', {'host': 'localhost', 'port': 3306, 'database': 'shop', 'username': 'u', 'password': 'p'}).type('source').save()
            DataSource("mongodb", "MongoDB_ECommerce", {"uri": "mongodb://localhost:27017/shop"}).type("target").save()
            DataSource("mysql", "Demo-Mysql").host("localhost").port(3306).username('root').password('pw').db('demo').save()
            def pyfunc(record):
                if not record['order_status']:
                    record['order_status'] = 'invalid'
                return record
            flow = Flow("orders_flow").read_from("MySQL_ECommerce.ecom_orders") \\
                .exclude("order_delivered_carrier_date") .rename_fields({'order_purchase_timestamp': 'purchase_timestamp'}) \\
                .py(pyfunc).write_to("MongoDB_ECommerce.orders").save()
            flow.start()
            Pipeline("Demo-job").readFrom("Demo-Mysql.Customer").js('record["updated"] = new Date(); return record;').writeTo("MongoDB_ECommerce.Customer_v1")
            """;

    @TempDir
    Path dir;

    @Test
    void tapflowReadmeScriptRunsAsWritten() throws Exception {
        ScriptResult result = PipelineScripts.run(write("orders.py", TAPFLOW_README), Map.of());
        assertThat(result.savedDataSources()).extracting(DataSource::name)
                .containsExactly("MySQL_ECommerce", "MongoDB_ECommerce", "Demo-Mysql");
        assertThat(result.savedDataSources().get(1).options()).containsEntry("database", "shop");
        assertThat(result.savedDataSources().get(2).options()).containsEntry("database", "demo").containsEntry("port", "3306");
        assertThat(result.started()).hasSize(1);
        Pipeline flow = result.started().get(0).pipeline();
        assertThat(flow.name()).isEqualTo("orders_flow");
        assertThat(flow.sources()).containsExactly(new SourceSpec("MySQL_ECommerce", List.of("ecom_orders")));
        assertThat(flow.target().table()).isEqualTo("orders");
        assertThat(flow.steps()).containsExactly(
                new Step.ExcludeFields(List.of("order_delivered_carrier_date")),
                new Step.RenameFields(Map.of("order_purchase_timestamp", "purchase_timestamp")),
                new Step.PyUdf("def pyfunc(record):\n    if not record['order_status']:\n        record['order_status'] = 'invalid'\n"
                        + "    return record\n", "pyfunc", "orders.py:4"));
        assertThat(result.savedPipelines()).extracting(s -> s.pipeline().name()).containsExactly("orders_flow");
    }

    @Test
    void verifyBeforeWriteToSaysThatVerifyEndsTheFlow() throws Exception {
        String sources = """
                DataSource('mysql', 'src', {'host': 'h', 'username': 'u', 'password': 'p', 'database': 'd'}).save()
                DataSource('postgres', 'dst', {'host': 'h', 'username': 'u', 'password': 'p', 'database': 'd'}).save()
                """;
        Path early = write("early.py", sources + "Flow('f').read_from('src.orders').verify().write_to('dst.orders')\n");
        assertThatThrownBy(() -> PipelineScripts.run(early, Map.of())).hasMessage("early.py:3: verify() ends a flow: call it "
                + "after write_to(...), e.g. Flow('f').read_from('ds.t').write_to('ds2.t').verify()");
        Path withArgument = write("arg.py", sources + "Flow('f').read_from('src.orders').write_to('dst.o').verify('row_count')\n");
        assertThatThrownBy(() -> PipelineScripts.run(withArgument, Map.of())).hasMessage("arg.py:3: verify() takes no "
                + "arguments, got 1; e.g. Flow('f').read_from('ds.t').write_to('ds2.t').verify()");
    }

    @Test
    void javaScriptScriptBuildsTheSameModel() throws Exception {
        String js = """
                DataSource('mysql', 'src', {host: 'h', username: 'u', password: 'p', database: 'd'}).type('source').save();
                new DataSource('postgres', 'dst').host('h').username('u').password('p').db('d').save();
                Flow('js-flow').readFrom('src.orders').exclude('a', 'b').renameFields({c: 'see'})
                    .filter('record.amount > 100').js('return record;').writeTo('dst')
                    .onError('dead_letter', 'dst.errors').udfLimits(250, true).verifySamplePerSecond(5).start();
                """;
        ScriptResult result = PipelineScripts.run(write("flow.js", js), Map.of());
        JobSpec spec = result.started().get(0);
        DataSource src = result.savedDataSources().get(0);
        DataSource dst = result.savedDataSources().get(1);
        Pipeline same = Pipeline.named("js-flow").readFrom(src.table("orders")).exclude("a", "b")
                .renameFields(Map.of("c", "see")).filter("record.amount > 100").js("return record;").writeTo(dst)
                .onError(ErrorPolicy.deadLetter(dst.table("errors"))).udfLimits(new UdfLimits(250, true)).verifySamplePerSecond(5);
        assertThat(spec).isEqualTo(JobSpec.of(same, src, dst));
    }

    @Test
    void readFromTablesOfTwoDataSourcesIsTheUnionTheJavaFormBuilds() throws Exception {
        String py = """
                DataSource('mysql', 'shopA', {'host': 'a', 'username': 'u', 'database': 'd'}).type('source').save()
                DataSource('mariadb', 'shopB', {'host': 'b', 'username': 'u', 'database': 'd'}).type('source').save()
                DataSource('postgres', 'dwh', {'host': 'h', 'username': 'u', 'database': 'd'}).type('target').save()
                Flow('all-orders').read_from('shopA.orders', 'shopB.orders').include('id', 'amount') \\
                    .write_to('dwh.all_orders').start()
                """;
        ScriptResult result = PipelineScripts.run(write("union.py", py), Map.of());
        DataSource a = result.savedDataSources().get(0);
        DataSource b = result.savedDataSources().get(1);
        DataSource dwh = result.savedDataSources().get(2);
        Pipeline same = Pipeline.named("all-orders").readFrom(a.table("orders"), b.table("orders")).include("id", "amount")
                .writeTo(dwh.table("all_orders"));
        assertThat(result.started()).containsExactly(JobSpec.of(same, a, b, dwh));
        assertThat(result.started().get(0).pipeline().sources()).hasSize(2);
    }

    /** A table reference with a regular expression's operators selects tables, as mysql.tables(...) does in Java. */
    @Test
    void readFromWithARegularExpressionSelectsTables() throws Exception {
        String py = """
                DataSource('mysql', 'src', {'host': 'a', 'username': 'u', 'database': 'shop'}).type('source').save()
                DataSource('postgres', 'dwh', {'host': 'h', 'username': 'u', 'database': 'd'}).type('target').save()
                Flow('sel').read_from('src.shop.order_.*', 'src.customer').write_to('dwh').start()
                """;
        ScriptResult result = PipelineScripts.run(write("sel.py", py), Map.of());
        DataSource src = result.savedDataSources().get(0);
        DataSource dwh = result.savedDataSources().get(1);
        Pipeline same = Pipeline.named("sel").readFrom(src.tables("shop.order_.*"), src.table("customer")).writeTo(dwh);
        assertThat(result.started()).containsExactly(JobSpec.of(same, src, dwh));
    }

    /** TapFlow's keyword arguments and the list form of add_fields, in Python; JavaScript has the list form too. */
    @Test
    void keywordArgumentsAndAddFieldsListBuildTheSameModel() throws Exception {
        String py = """
                DataSource('mysql', 'src', config={'host': 'h', 'username': 'u', 'database': 'd'}, type='source').save()
                DataSource(connector='postgres', name='dst', config={'host': 'h', 'username': 'u', 'database': 'd'}).save()
                Flow(name='kw').read_from('src.orders').rename_fields(fields={'a': 'b'}).filter(expression='record.n > 1') \\
                    .add_fields([['region', 'string', "'EU'"], ['n2', 'integer', 'record.n * 2']]) \\
                    .change_type(field='n', type='double').on_error('skip', limit=5).write_to(table='dst.t').start()
                """;
        ScriptResult result = PipelineScripts.run(write("kw.py", py), Map.of());
        DataSource src = result.savedDataSources().get(0);
        DataSource dst = result.savedDataSources().get(1);
        Pipeline same = Pipeline.named("kw").readFrom(src.table("orders")).renameFields(Map.of("a", "b"))
                .filter("record.n > 1")
                .addField("region", FieldValue.expression("'EU'", FieldType.STRING))
                .addField("n2", FieldValue.expression("record.n * 2", FieldType.INTEGER))
                .changeType("n", FieldType.DOUBLE).onError(ErrorPolicy.skip(5)).writeTo(dst.table("t"));
        assertThat(result.started()).containsExactly(JobSpec.of(same, src, dst));

        String js = """
                DataSource('mysql', 'src', {host: 'h', username: 'u', database: 'd'}).save();
                DataSource('postgres', 'dst', {host: 'h', username: 'u', database: 'd'}).save();
                Flow('kw').readFrom('src.orders').renameFields({a: 'b'}).filter('record.n > 1')
                    .addFields([['region', 'string', "'EU'"], ['n2', 'integer', 'record.n * 2']])
                    .changeType('n', 'double').onError('skip', 5).writeTo('dst.t').start();
                """;
        assertThat(PipelineScripts.run(write("kw.js", js), Map.of()).started()).containsExactly(JobSpec.of(same, src, dst));
    }

    /** Per-kind schema-change overrides: Python keywords, a JavaScript object; unknown kinds and policies refused. */
    @Test
    void schemaChangeOverridesAreKeywordsInPythonAndAnObjectInJavaScript() throws Exception {
        String ds = "DataSource('mysql', 'src', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n";
        Pipeline py = PipelineScripts.run(write("ovr.py", ds + "Flow('o').read_from('src.t').write_to('src.u')"
                + ".schema_changes('evolve', drop_column='lenient', truncate='ignore').save()\n"), Map.of()).savedPipelines().get(0).pipeline();
        DataSource src = PipelineScripts.run(write("ds.py", ds), Map.of()).savedDataSources().get(0);
        Pipeline same = Pipeline.named("o").readFrom(src.table("t")).writeTo(src.table("u")).schemaChanges("evolve")
                .schemaChange("drop_column", "lenient").schemaChange("truncate", "ignore");
        assertThat(py).isEqualTo(same);
        Pipeline js = PipelineScripts.run(write("ovr.js", ds.replace("'host'", "host").replace("'username'", "username")
                .replace("'database'", "database") + "Flow('o').readFrom('src.t').writeTo('src.u')"
                + ".schemaChanges('evolve', {drop_column: 'lenient', truncate: 'ignore'}).save();\n"), Map.of()).savedPipelines().get(0).pipeline();
        assertThat(js).isEqualTo(same);
        assertThatThrownBy(() -> PipelineScripts.run(write("k4.py", ds + "Flow('f').schema_changes('evolve', drop_index='lenient')\n"), Map.of()))
                .hasMessage("k4.py:2: TypeError: schema_changes() has no argument 'drop_index'; its arguments are: policy, add_column, "
                        + "drop_column, rename_column, modify_column, create_table, drop_table, truncate");
        assertThatThrownBy(() -> PipelineScripts.run(write("k5.js", ds + "Flow('f').schemaChanges('evolve', {drop_index: 'lenient'})\n"), Map.of()))
                .hasMessageContaining("unknown kind of schema change 'drop_index'; use one of: add_column, drop_column, rename_column, "
                        + "modify_column, create_table, drop_table, truncate");
        assertThatThrownBy(() -> PipelineScripts.run(write("k6.py", ds + "Flow('f').schema_changes('evolve', truncate='skip')\n"), Map.of()))
                .hasMessageContaining("unknown schema-change policy 'skip'; use one of: evolve, lenient, ignore, fail");
    }

    @Test
    void badKeywordsAndAddFieldsEntriesNameTheLineAndWhatIsAllowed() throws Exception {
        String ds = "DataSource('mysql', 'src', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n";
        assertThatThrownBy(() -> PipelineScripts.run(write("k1.py", ds + "Flow('f').rename_fields(feilds={'a': 'b'})\n"), Map.of()))
                .hasMessage("k1.py:2: TypeError: rename_fields() has no argument 'feilds'; its arguments are: fields");
        assertThatThrownBy(() -> PipelineScripts.run(write("k2.py", ds + "Flow('f').read_from('src.t').include(fields=['a'])\n"), Map.of()))
                .hasMessage("k2.py:2: TypeError: include() takes no keyword arguments");
        assertThatThrownBy(() -> PipelineScripts.run(write("k3.py", ds + "\nFlow('f').add_fields([['region', 'string']])\n"), Map.of()))
                .hasMessage("k3.py:3: add_fields([[name, type, expression], ...]): entry 1 must be a list of 3 values, got ['region', 'string']");
    }

    @Test
    void argumentsOfTheWrongKindAreRefusedNamingTheCall() throws Exception {
        String ds = "DataSource('mysql', 'src', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\nf = Flow('f').read_from('src.t')\n";
        // A number or a boolean as a condition would be the JavaScript 42 or true: a filter keeping every row.
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("f.filter(42)", "filter(expression, filterType=FilterType.keep | FilterType.delete): argument 1 must be a text in quotes, got 42");
        refused.put("f.filter(True)", "filter(expression, filterType=FilterType.keep | FilterType.delete): argument 1 must be a text in quotes, got true");
        refused.put("f.filter(lambda r: True)", "filter(function) takes a Python function defined with def in the script, e.g. "
                + ".filter(is_paid), or a condition text: .filter(\"amount > 10\")");
        refused.put("f.rowFilter(1)", "rowFilter(expression, rowFilterType=RowFilterType.retain | RowFilterType.discard): argument 1 must be a text in quotes, got 1");
        refused.put("f.filter_out(0)", "filter_out(expression): argument 1 must be a text in quotes, got 0");
        refused.put("f.js(42)", "js(code): argument 1 must be a text in quotes, got 42");
        refused.put("Flow('g').read_from('src.t', filter=1)", "read_from(table, query=..., filter=...): filter must be a text in quotes, got 1");
        refused.put("f.parallelism('x')", "parallelism(n): argument 1 must be a whole number from 1 to 1024, got the text 'x'");
        refused.put("f.parallelism(2.5)", "parallelism(n): argument 1 must be a whole number from 1 to 1024, got 2.5");
        refused.put("f.on_error('skip', 'many')", "on_error(mode[, limit or table]): argument 2 must be a whole number from 0 to "
                + Long.MAX_VALUE + ", got the text 'many'");
        refused.put("f.udf_limits(100, 'yes')", "udf_limits(ms, allow_io): argument 2 must be True or False, got the text 'yes'");
        refused.put("f.udf_limits(-5)", "udf_limits(ms, allow_io): argument 1 must be a whole number from 1 to " + Long.MAX_VALUE + ", got -5");
        for (Map.Entry<String, String> call : refused.entrySet()) {
            assertThatThrownBy(() -> PipelineScripts.run(write("w.py", ds + call.getKey() + "\n"), Map.of()))
                    .as(call.getKey()).hasMessage("w.py:3: " + call.getValue());
        }
        assertThatThrownBy(() -> PipelineScripts.run(write("w.js", "Flow('f').filter(r => true)\n"), Map.of()))
                .hasMessage("w.js:1: filter(function): a JavaScript script's filter is a condition text, e.g. .filter('record.amount > 10')");
    }

    @Test
    void aPythonFunctionFiltersAsAPyStep() throws Exception {
        String script = """
                DataSource('mysql', 'src', {'host': 'h', 'username': 'u', 'database': 'd'}).save()
                def paid(record):
                    return record['amount'] > 10
                Flow('f').read_from('src.t').filter(paid).filter(paid, filterType=FilterType.delete).write_to('src.u').save()
                """;
        List<Step> steps = PipelineScripts.run(write("pf.py", script), Map.of()).savedPipelines().get(0).pipeline().steps();
        assertThat(steps).extracting(Step::id).containsExactly("py-_tapflow_keep_paid", "py-_tapflow_drop_paid");
        Step.PyUdf keep = (Step.PyUdf) steps.get(0);
        assertThat(keep.origin()).isEqualTo("pf.py:2");
        assertThat(keep.source()).isEqualTo("def paid(record):\n    return record['amount'] > 10\n\n\n"
                + "def _tapflow_keep_paid(record):\n    return record if paid(record) else None\n");
    }

    @Test
    void unknownDataSourcePointsAtTheScriptLine() throws Exception {
        String script = TAPFLOW_README.replace("read_from(\"MySQL_ECommerce.ecom_orders\")", "read_from(\"MySQL_Ecom.ecom_orders\")");
        assertThatThrownBy(() -> PipelineScripts.run(write("orders.py", script), Map.of()))
                .hasMessage("orders.py:8: unknown datasource 'MySQL_Ecom'; known datasources: Demo-Mysql, MongoDB_ECommerce, MySQL_ECommerce");
        assertThatThrownBy(() -> PipelineScripts.run(write("flow.js", "\n\nFlow('f').readFrom('nope.t');\n"), Map.of()))
                .hasMessage("flow.js:3: unknown datasource 'nope'; known datasources: (none; add one with 'tapflow datasource add')");
        String wholeDataSource = "Flow('f').read_from('cat-src.orders') \\\n    .write_to('demo-pg')\n";
        Map<String, DataSource> catalog = Map.of("cat-src", DataSource.of("mysql", "cat-src").host("h").username("u").database("d"));
        assertThatThrownBy(() -> PipelineScripts.run(write("whole.py", wholeDataSource), catalog))
                .as("a target datasource missing from the catalog is named as one, not as a table reference without a dot")
                .hasMessage("whole.py:2: unknown datasource 'demo-pg'; known datasources: cat-src");
    }

    @Test
    void invalidDefinitionsAndGuestErrorsNameTheLine() throws Exception {
        assertThatThrownBy(() -> PipelineScripts.run(write("ds.py", "x = 1\nDataSource('mysql', 'm', {'host': 'h'}).save()\n"), Map.of()))
                .hasMessage("ds.py:2: datasource 'm' has 2 problems:\n  - missing required option 'username' (user to connect as)"
                        + "\n  - missing required option 'database' (database (MySQL) or database name (PostgreSQL))");
        assertThatThrownBy(() -> PipelineScripts.run(write("bad.py", "x = 1\n\nprint(undefined_name)\n"), Map.of()))
                .hasMessageStartingWith("bad.py:3: NameError");
        assertThatThrownBy(() -> PipelineScripts.run(write("bad.js", "let x = ;\n"), Map.of()))
                .hasMessage("bad.js:1: JavaScript syntax error: SyntaxError: Expected an operand but found ;");
        assertThatThrownBy(() -> PipelineScripts.run(write("open.js", "Flow('f').read_from('a.b').start(\n"), Map.of()))
                .hasMessage("open.js:2: JavaScript syntax error: SyntaxError: Expected an operand but found eof");
        assertThatThrownBy(() -> PipelineScripts.run(write("typo.js", "Flow('f').exlude('x');\n"), Map.of()))
                .hasMessage("typo.js:1: TypeError: Flow has no method 'exlude'; did you mean 'exclude'?");
        assertThatThrownBy(() -> PipelineScripts.run(write("camel.js", "\nDataSource('mysql', 'm').hots('h');\n"), Map.of()))
                .hasMessage("camel.js:2: TypeError: DataSource has no method 'hots'; did you mean 'host'?");
        assertThatThrownBy(() -> PipelineScripts.run(write("chain.js", "Flow('f')\n  .include('a')\n  .exlude('x')\n  .start();\n"),
                Map.of())).hasMessage("chain.js:3: TypeError: Flow has no method 'exlude'; did you mean 'exclude'?");
        assertThatThrownBy(() -> PipelineScripts.run(write("chain.py", "Flow('f') \\\n    .include('a') \\\n    .exlude('x')\n"),
                Map.of())).hasMessage("chain.py:3: AttributeError: Flow has no method 'exlude'; did you mean 'exclude'?");
        assertThatThrownBy(() -> PipelineScripts.run(write("chain2.js", "Flow('f')\n  .readFrom('nope.t')\n  .start();\n"),
                Map.of())).hasMessageStartingWith("chain2.js:2: unknown datasource 'nope'");
        assertThatThrownBy(() -> PipelineScripts.run(write("open.py", "Flow('f').read_from('a.b'\n  .start()\n"), Map.of()))
                .message().doesNotContain("\n");
        assertThatThrownBy(() -> PipelineScripts.run(write("dict.py", "Flow('f').rename_fields('a')\n"), Map.of()))
                .hasMessage("dict.py:1: rename_fields(fields): argument 1 must be a dict/object of names to values, got the text 'a'");
        assertThatThrownBy(() -> PipelineScripts.run(write("role.py", "DataSource('mongodb', 'p', {'uri': 'mongodb://h', 'database': 'd'}).type('source').save()\n"), Map.of()))
                .hasMessage("role.py:1: datasource 'p': a mongodb datasource cannot be a source (it can be: [target])");
    }

    @Test
    void catalogDataSourcesAreKnown() throws Exception {
        DataSource src = DataSource.of("mysql", "cat-src").host("h").username("u").database("d");
        DataSource dst = DataSource.of("postgres", "cat.dst").host("h").username("u").database("d");
        ScriptResult result = PipelineScripts.run(write("c.py", "Flow('c').read_from('cat-src.t').write_to('cat.dst.t2').start()\n"),
                Map.of("cat-src", src, "cat.dst", dst));
        assertThat(result.started().get(0).pipeline().target().table()).isEqualTo("t2");
        assertThat(result.savedDataSources()).isEmpty();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
