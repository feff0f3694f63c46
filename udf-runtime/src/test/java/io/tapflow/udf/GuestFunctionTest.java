package io.tapflow.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.UdfLimits;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestFunctionTest {
    // Ordinary calls get a limit no loaded build machine reaches (a first call runs interpreted); only the runaway
    // test relies on a limit being hit, with its own.
    private static final UdfLimits LIMITS = new UdfLimits(30_000, false);
    private static final UdfLimits SHORT_LIMIT = new UdfLimits(1_000, false);

    private static Map<String, Object> order() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7);
        row.put("amount", new BigDecimal("123.45"));
        row.put("status", "");
        row.put("created", LocalDateTime.of(2024, 5, 1, 12, 30));
        return row;
    }

    @Test
    void jsUdfChangesTheRecordAndUntouchedValuesStayExact() {
        try (GuestFunction f = GuestFunction.javaScriptBody("js-1",
                "record.status = op + ':' + table; record.qty = record.id * 2; record.updated = new Date(0); return record;", LIMITS)) {
            Map<String, Object> out = f.applyTo(order(), "insert", "shop.orders").get(0);
            assertThat(out).containsEntry("status", "insert:shop.orders").containsEntry("qty", 14L)
                    .containsEntry("amount", new BigDecimal("123.45")).containsEntry("updated", Instant.EPOCH)
                    .containsEntry("created", LocalDateTime.of(2024, 5, 1, 12, 30));
        }
    }

    @Test
    void jsUdfDropsAndFansOut() {
        try (GuestFunction drop = GuestFunction.javaScriptBody("js-2", "return record.id > 10 ? record : null;", LIMITS);
             GuestFunction fan = GuestFunction.javaScriptBody("js-3",
                     "return [1, 2].map(i => ({id: record.id, part: i}));", LIMITS)) {
            assertThat(drop.applyTo(order(), "read", "t")).isEmpty();
            assertThat(fan.applyTo(order(), "read", "t")).containsExactly(Map.of("id", 7, "part", 1L), Map.of("id", 7, "part", 2L));
        }
    }

    @Test
    void expressionsEvaluateOverTheRecord() {
        try (GuestFunction keep = GuestFunction.javaScriptExpression("filter-1", "record.amount > 100 && record.status != 'X'", true, LIMITS);
             GuestFunction total = GuestFunction.javaScriptExpression("add-1", "record.id * 1.5", false, LIMITS)) {
            assertThat(keep.test(order(), "read", "t")).isTrue();
            Map<String, Object> cheap = order();
            cheap.put("amount", new BigDecimal("5"));
            assertThat(keep.test(cheap, "read", "t")).isFalse();
            assertThat(total.evaluate(order(), "read", "t", "total")).isEqualTo(10.5);
        }
    }

    @Test
    void errorsNameTheStepAndTheGuestLine() {
        assertThatThrownBy(() -> GuestFunction.javaScriptBody("js-syntax", "var x = 1;\nreturn record +* 2;", LIMITS))
                .isInstanceOf(GuestCodeException.class)
                .hasMessage("step 'js-syntax' (line 2): JavaScript syntax error: SyntaxError: Expected an operand but found *");
        try (GuestFunction f = GuestFunction.javaScriptBody("js-throws", "var a = 1;\n\nthrow new Error('no amount');", LIMITS)) {
            assertThatThrownBy(() -> f.applyTo(order(), "insert", "t"))
                    .isInstanceOfSatisfying(GuestCodeException.class, e -> {
                        assertThat(e.line()).isEqualTo(3);
                        assertThat(e.onRow("{id=7} of t")).isEqualTo("step 'js-throws' (line 3) failed on row {id=7} of t: Error: no amount");
                    });
        }
    }

    @Test
    void runawayLoopIsStoppedAndTheContextStaysUsable() {
        try (GuestFunction f = GuestFunction.javaScriptBody("js-loop", "if (record.id == 7) { while (true) {} }\nreturn record;", SHORT_LIMIT)) {
            assertThatThrownBy(() -> f.applyTo(order(), "insert", "t"))
                    .isInstanceOf(GuestCodeException.class)
                    .hasMessageContaining("ran longer than the time limit of 1000 ms per row");
            Map<String, Object> other = order();
            other.put("id", 8);
            assertThat(f.applyTo(other, "insert", "t")).hasSize(1);
        }
    }

    @Test
    void guestCodeCannotReachHostClasses() {
        try (GuestFunction f = GuestFunction.javaScriptBody("js-host", "return {id: Java.type('java.lang.System').exit(1)};", LIMITS)) {
            assertThatThrownBy(() -> f.applyTo(order(), "insert", "t")).isInstanceOf(GuestCodeException.class)
                    .hasMessageContaining("step 'js-host' (line 1)");
        }
    }

    @Test
    void unusableResultsAreExplained() {
        try (GuestFunction f = GuestFunction.javaScriptBody("js-str", "return 'done';", LIMITS);
             GuestFunction nested = GuestFunction.javaScriptBody("js-nested", "record.tags = ['a']; return record;", LIMITS)) {
            assertThatThrownBy(() -> f.applyTo(order(), "insert", "t")).hasMessage("step 'js-str': returned a string; "
                    + "return the record, a changed record, null/None to drop it, or a list of records");
            assertThatThrownBy(() -> nested.applyTo(order(), "insert", "t")).hasMessageContaining("field 'tags' was given an array");
        }
        try (GuestFunction py = GuestFunction.python("py-wrong", "def wrong(record):\n    return record['id']\n", "wrong",
                "orders.py:4", new UdfLimits(60_000, false))) {
            assertThatThrownBy(() -> py.applyTo(order(), "insert", "t")).hasMessageStartingWith("step 'py-wrong' (orders.py:4): "
                    + "returned a number");
        }
    }

    @Test
    void pythonUdfChangesTheRecordInPlace() {
        String source = "def pyfunc(record):\n    if not record['status']:\n        record['status'] = 'invalid'\n    return record\n";
        try (GuestFunction f = GuestFunction.python("py-pyfunc", source, "pyfunc", null, LIMITS)) {
            List<Map<String, Object>> out = f.applyTo(order(), "insert", "t");
            assertThat(out).hasSize(1);
            assertThat(out.get(0)).containsEntry("status", "invalid").containsEntry("amount", new BigDecimal("123.45"));
        }
    }

    @Test
    void pythonUdfCannotOpenFiles() {
        String source = "def leak(record):\n    record['x'] = open('/etc/hostname').read()\n    return record\n";
        // Defined at line 10 of a script: the error points at the script's line 11.
        try (GuestFunction f = GuestFunction.python("py-leak", source, "leak", "orders.py:10", new UdfLimits(10_000, false))) {
            assertThatThrownBy(() -> f.applyTo(order(), "insert", "t")).isInstanceOf(GuestCodeException.class)
                    .hasMessageStartingWith("step 'py-leak' (orders.py:11): PermissionError");
        }
    }

    @Test
    void pythonUdfMayReadFilesWhenThePipelineAllowsIo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rates.txt"), "1.5");
        String source = "def rate(record):\n    record['status'] = open(" + "'" + file + "'" + ").read()\n    return record\n";
        try (GuestFunction f = GuestFunction.python("py-rate", source, "rate", null, new UdfLimits(10_000, true))) {
            assertThat(f.applyTo(order(), "insert", "t").get(0)).containsEntry("status", "1.5");
        }
    }

    @Test
    void pythonSourceMustDefineTheFunction() {
        assertThatThrownBy(() -> GuestFunction.python("py-g", "def f(record):\n    return record\n", "g", null, LIMITS))
                .hasMessage("step 'py-g': the Python source defines no function 'g'");
    }
}
