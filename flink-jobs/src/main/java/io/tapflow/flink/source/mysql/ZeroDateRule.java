package io.tapflow.flink.source.mysql;

import io.tapflow.flink.source.InvalidDate;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.RowValues;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datasource option {@code zero-date}: what a MySQL DATE, DATETIME or TIMESTAMP with year, month or day 0 becomes
 * (no Java or target type can hold {@code 0000-00-00} or {@code 2020-00-15}). {@code null}: NULL, and every such value
 * is counted and logged with its table, column and key; {@code error}: the job stops with a message that names them.
 * The snapshot and the change stream both apply it through this one class.
 */
public final class ZeroDateRule implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ZeroDateRule.class);
    /** Values logged one by one per column; after that every 1,000th, with the running count. */
    private static final long LOGGED_ONE_BY_ONE = 100;
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private final String dataSource;
    private final boolean fail;

    private ZeroDateRule(String dataSource, boolean fail) {
        this.dataSource = dataSource;
        this.fail = fail;
    }

    public static ZeroDateRule of(DataSource ds) {
        return new ZeroDateRule(ds.name(), "error".equals(ds.get("zero-date")));
    }

    /** True when such values become NULL, so their target columns must accept NULL. */
    public boolean writesNull() {
        return !fail;
    }

    /** Replaces each {@link InvalidDate} in the row by what the rule says; the key names the row in messages. */
    public void apply(String table, Map<String, Object> row, Map<String, Object> key) {
        if (row == null) {
            return;
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof InvalidDate invalid) {
                e.setValue(resolve(table, e.getKey(), key, invalid));
            }
        }
        if (key != null) {
            key.replaceAll((k, v) -> v instanceof InvalidDate ? row.get(k) : v);
        }
    }

    private Object resolve(String table, String column, Map<String, Object> key, InvalidDate invalid) {
        String where = "table " + table + " column " + column + " row " + RowValues.format(key);
        if (fail) {
            throw new TapflowException("datasource '" + dataSource + "': " + where + " holds the date '" + invalid.text()
                    + "', which has a zero year, month or day and exists in no target type; set the datasource option "
                    + "zero-date=null to write such dates as NULL (each one is logged), or correct the row");
        }
        long n = COUNTS.computeIfAbsent(dataSource + "/" + table + "." + column, c -> new AtomicLong()).incrementAndGet();
        if (n <= LOGGED_ONE_BY_ONE || n % 1_000 == 0) {
            LOG.warn("datasource '{}': {} holds the date '{}' (zero year, month or day): written as NULL (zero-date=null); "
                    + "{} such value(s) in this column so far in this process", dataSource, where, invalid.text(), n);
        }
        return null;
    }
}
