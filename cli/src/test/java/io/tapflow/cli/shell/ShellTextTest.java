package io.tapflow.cli.shell;

import io.tapflow.cli.TextTable;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the shell tells DSL from commands, and how it lays out rows. */
class ShellTextTest {

    @Test
    void dslStatementsAreToldFromCommands() {
        assertThat(ShellScript.isDsl("DataSource('mysql', 'a', {}).save()")).isTrue();
        assertThat(ShellScript.isDsl("x = 1")).isTrue();
        assertThat(ShellScript.isDsl("def f(record):\n    return record\n")).isTrue();
        assertThat(ShellScript.isDsl("show tables")).isFalse();
        assertThat(ShellScript.isDsl("peek customer -n 3")).isFalse();
        assertThat(ShellScript.isDsl("frobnicate")).isFalse();
        assertThat(ShellScript.isDsl("shw tables")).isFalse();
        // Python beyond calls and assignments: blocks, augmented and item assignment, expressions.
        assertThat(ShellScript.isDsl("for t in ['a', 'b']:\n    print(t)\n")).isTrue();
        assertThat(ShellScript.isDsl("if n > 1:\n    n = 1\n")).isTrue();
        assertThat(ShellScript.isDsl("n += 1")).isTrue();
        assertThat(ShellScript.isDsl("d['k'] = 1")).isTrue();
        assertThat(ShellScript.isDsl("1/0")).isTrue();
        assertThat(ShellScript.isDsl("n == 1")).isFalse(); // a bare comparison: more likely a typo than a statement
    }

    @Test
    void rowsAreAlignedAndLongValuesCut() {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("id", "1");
        first.put("note", "x".repeat(50));
        Map<String, String> second = new LinkedHashMap<>();
        second.put("id", "22");
        second.put("extra", "two\nlines");
        StringWriter out = new StringWriter();
        TextTable.print(new PrintWriter(out, true), List.of(first, second));
        assertThat(out.toString()).isEqualTo("id  note" + " ".repeat(36) + "  extra\n"
                + "1   " + "x".repeat(37) + "...\n"
                + "22" + " ".repeat(44) + "two lines\n");
    }
}
