package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.SourceCatalog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What polls of a catalog find: drops (once), tables created again under a new identity, new selected tables. */
class CatalogWatchTest {
    /** A catalog whose tables the test sets; {@code owned} tables can be captured, others only once {@code listed}. */
    private static final class Tables implements SourceCatalog {
        final Map<String, Long> now = new HashMap<>();
        final Set<String> owned = new HashSet<>();
        final Set<String> listed = new HashSet<>();
        int addAttempts;
        boolean unreachable;

        @Override
        public Map<String, Long> tables() {
            if (unreachable) {
                throw new TapflowException("datasource 'src': connection refused");
            }
            return Map.copyOf(now);
        }

        @Override
        public boolean capturesFromCreation() {
            return false;
        }

        @Override
        public boolean captured(String table) {
            return listed.contains(table);
        }

        @Override
        public String capture(String table) {
            if (captured(table)) {
                return null;
            }
            addAttempts++;
            if (owned.contains(table)) {
                listed.add(table);
                return null;
            }
            return "not the owner of " + table;
        }

        @Override
        public void close() {}
    }

    private final Tables catalog = new Tables();
    private final CatalogWatch watch = new CatalogWatch(catalog, "");

    @Test
    void aDroppedTableIsFoundOnceAndATableCreatedAgainIsNewToTheJob() {
        catalog.now.put("s.a", 1L);
        catalog.now.put("s.b", 2L);
        assertThat(watch.poll(Set.of("s.a", "s.b"), t -> true)).isEqualTo(findings(List.of(), List.of(), List.of()));
        catalog.now.remove("s.a");
        catalog.now.put("s.b", 3L);
        assertThat(watch.poll(Set.of("s.a", "s.b"), t -> true))
                .isEqualTo(findings(List.of("s.a", "s.b"), List.of("s.b"), List.of("s.b")));
        assertThat(watch.poll(Set.of("s.a", "s.b"), t -> true)).as("reported once")
                .isEqualTo(findings(List.of(), List.of(), List.of()));
        catalog.now.put("s.a", 4L);
        assertThat(watch.poll(Set.of("s.a", "s.b"), t -> !t.equals("s.a"))).as("back, but not selected: still known")
                .isEqualTo(findings(List.of(), List.of("s.a"), List.of()));
    }

    @Test
    void aNewTableIsCapturedWhereItMayBeAndOtherwiseOnceAnAdministratorAddedIt() {
        catalog.now.put("s.mine", 1L);
        catalog.now.put("s.theirs", 2L);
        catalog.now.put("s.other", 3L);
        catalog.owned.add("s.mine");
        CatalogWatch.Findings found = watch.poll(Set.of(), t -> !t.equals("s.other"));
        assertThat(found.unknown()).containsExactly("s.mine", "s.theirs");
        assertThat(watch.capture("s.mine")).isTrue();
        assertThat(watch.capture("s.theirs")).isFalse();
        assertThat(watch.capture("s.theirs")).as("not tried again").isFalse();
        assertThat(catalog.addAttempts).isEqualTo(2);
        catalog.listed.add("s.theirs");
        assertThat(watch.capture("s.theirs")).as("added by an administrator").isTrue();
    }

    @Test
    void aFailedPollFindsNothingAndTheNextOneGoesOn() {
        catalog.now.put("s.a", 1L);
        watch.poll(Set.of("s.a"), t -> true);
        catalog.unreachable = true;
        assertThat(watch.poll(Set.of("s.a"), t -> true)).isEqualTo(findings(List.of(), List.of(), List.of()));
        catalog.unreachable = false;
        catalog.now.remove("s.a");
        assertThat(watch.poll(Set.of("s.a"), t -> true).dropped()).containsExactly("s.a");
    }

    private static CatalogWatch.Findings findings(List<String> dropped, List<String> recreated, List<String> unknown) {
        return new CatalogWatch.Findings(dropped, recreated, unknown);
    }
}
