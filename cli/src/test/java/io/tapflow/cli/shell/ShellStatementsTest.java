package io.tapflow.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the shell ends a statement of piped or typed lines: where Python does, not at the next empty line. */
class ShellStatementsTest {

    private static List<String> statements(String... lines) {
        ShellStatements s = new ShellStatements();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String statement = s.add(line);
            if (statement != null) {
                out.add(statement);
            }
        }
        String rest = s.end();
        if (rest != null) {
            out.add(rest);
        }
        return out;
    }

    @Test
    void aBackslashContinuedStatementEndsAtItsLastLine() {
        assertThat(statements("x = Flow('a') \\", "    .read_from('b.c') \\", "    .write_to('d.e')", "print(x)", "show dbs"))
                .containsExactly("x = Flow('a') \\\n    .read_from('b.c') \\\n    .write_to('d.e')\n", "print(x)", "show dbs");
    }

    @Test
    void bracketsAndStringsRunOverLinesAndBlankLines() {
        assertThat(statements("d = DataSource('mysql', 'm',", "    {", "", "    'host': 'h'  # (", "    })", "    .type('source')",
                "s = '''one", "", "two'''", "peek t"))
                .containsExactly("d = DataSource('mysql', 'm',\n    {\n\n    'host': 'h'  # (\n    })\n", "    .type('source')",
                        "s = '''one\n\ntwo'''\n", "peek t");
    }

    @Test
    void aBlockEndsAtAnEmptyLine() {
        assertThat(statements("def f(record):", "    x = (1,", "", "      2)", "    return record", "", "if (1 and", "    2):",
                "    pass", "", "f({})"))
                .containsExactly("def f(record):\n    x = (1,\n\n      2)\n    return record\n", "if (1 and\n    2):\n    pass\n",
                        "f({})");
    }

    @Test
    void theInputEndingInsideAStatementHandsOverWhatThereIs() {
        assertThat(statements("x = f(1,")).containsExactly("x = f(1,\n");
    }
}
