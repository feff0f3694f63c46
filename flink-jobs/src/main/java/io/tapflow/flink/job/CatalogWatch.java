package io.tapflow.flink.job;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.SourceCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the schema-change follower learns from its source's catalog ({@link SourceCatalog}) rather than from the change
 * stream: tables the job knows that are gone (dropped) or back under a new identity (dropped and created again), and
 * tables the patterns select that the job does not know yet. Such a table is made part of the change stream
 * ({@link #capture}) where the user may do it; where not, a warning names the table and what an administrator must
 * run, once, and a later poll finds it captured once that is done.
 */
final class CatalogWatch implements AutoCloseable {
    // The follower's logger: `tapflow logs` and the tests find schema changes under its name.
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeFollower.class);

    /**
     * One poll's findings, each list in name order.
     *
     * @param dropped   known tables gone since the last poll (or back under a new identity), to report as dropped
     * @param recreated known tables back under a new identity: the job follows them as new tables
     * @param unknown   tables the patterns select that the job does not know (the recreated among them)
     */
    record Findings(List<String> dropped, List<String> recreated, List<String> unknown) {}

    private final SourceCatalog catalog;
    private final String prefix;
    private final Map<String, Long> identities = new HashMap<>();
    /** Known tables reported dropped and not back since. */
    private final Set<String> gone = new HashSet<>();
    /** Selected tables the user could not capture, warned about once. */
    private final Set<String> refused = new HashSet<>();

    CatalogWatch(SourceCatalog catalog, String logPrefix) {
        this.catalog = catalog;
        this.prefix = logPrefix;
    }

    /** Whether tables created later are in the change stream from their creation (then they need no snapshot). */
    boolean capturesFromCreation() {
        return catalog.capturesFromCreation();
    }

    /**
     * @param known   the tables the job follows
     * @param selects whether the pipeline's patterns select a table
     */
    Findings poll(Set<String> known, Predicate<String> selects) {
        Map<String, Long> now;
        try {
            now = catalog.tables();
        } catch (TapflowException e) {
            // A poll is no change of the stream: the next one tries again (a source that is gone fails the source too).
            LOG.warn("{}polling the source's catalog failed, tried again in a moment: {}", prefix, e.getMessage());
            return new Findings(List.of(), List.of(), List.of());
        }
        List<String> dropped = new ArrayList<>();
        List<String> recreated = new ArrayList<>();
        for (String name : known.stream().sorted().toList()) {
            Long identity = now.get(name);
            Long seen = identities.get(name);
            if (identity == null) {
                identities.remove(name);
                if (gone.add(name)) {
                    dropped.add(name);
                }
            } else if (gone.remove(name) || seen != null && !seen.equals(identity)) {
                if (seen != null) {
                    dropped.add(name);
                }
                recreated.add(name);
                identities.put(name, identity);
            } else {
                identities.put(name, identity);
            }
        }
        List<String> unknown = now.keySet().stream().sorted()
                .filter(name -> (!known.contains(name) || recreated.contains(name)) && selects.test(name)).toList();
        unknown.forEach(name -> identities.put(name, now.get(name)));
        return new Findings(dropped, recreated, unknown);
    }

    /** Makes the table part of the change stream; false (after a warning, the first time) when the user may not. */
    boolean capture(String name) {
        if (refused.contains(name)) {
            return catalog.captured(name);
        }
        String problem;
        try {
            problem = catalog.capture(name);
        } catch (TapflowException e) {
            LOG.warn("{}capturing table {} failed, tried again at the next poll: {}", prefix, name, e.getMessage());
            return false;
        }
        if (problem != null) {
            refused.add(name);
            LOG.warn("{}{}", prefix, problem);
        }
        return problem == null;
    }

    @Override
    public void close() {
        catalog.close();
    }
}
