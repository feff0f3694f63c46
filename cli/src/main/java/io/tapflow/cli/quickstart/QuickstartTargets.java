package io.tapflow.cli.quickstart;

import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The target kinds {@code quickstart --targets} accepts, checked before any server starts, and how they are named. */
final class QuickstartTargets {
    private static final Map<String, String> KINDS = Map.of("postgres", "postgres", "postgresql", "postgres",
            "mongodb", "mongodb", "mongo", "mongodb", "elasticsearch", "elasticsearch", "es", "elasticsearch", "kafka", "kafka");
    private static final Map<String, String> SERVERS = Map.of("postgres", "PostgreSQL (embedded)",
            "mongodb", "the MongoDB emulator", "elasticsearch", "Elasticsearch 7.10 (child JVM)", "kafka", "Kafka 3.9 (child JVM)");

    private QuickstartTargets() {}

    /** The kinds, aliases resolved, in the order given, each once; an unknown one fails naming the allowed ones. */
    static List<String> parse(List<String> given) {
        Set<String> kinds = new LinkedHashSet<>();
        for (String name : given) {
            String kind = KINDS.get(name.strip().toLowerCase(java.util.Locale.ROOT));
            if (kind == null) {
                throw new TapflowException("--targets: unknown target '" + name.strip()
                        + "'; allowed: postgres, mongodb, elasticsearch (es), kafka");
            }
            kinds.add(kind);
        }
        if (kinds.isEmpty()) {
            throw new TapflowException("--targets: name at least one of postgres, mongodb, elasticsearch (es), kafka");
        }
        return List.copyOf(kinds);
    }

    /** "MariaDB (embedded, binlog on), PostgreSQL (embedded) and the MongoDB emulator". */
    static String serversToStart(List<String> kinds) {
        List<String> servers = new ArrayList<>(List.of("MariaDB (embedded, binlog on)"));
        kinds.forEach(k -> servers.add(SERVERS.get(k)));
        return join(servers);
    }

    /** "PostgreSQL and MongoDB", "PostgreSQL, MongoDB, Elasticsearch and Kafka". */
    static String names(List<DemoTarget> targets) {
        return join(targets.stream().map(DemoTarget::name).toList());
    }

    /** Where the demo rows go in a target, for the start-up lines. */
    static String where(DemoTarget target) {
        return switch (target.dataSource().type()) {
            case "postgres" -> "PostgreSQL " + target.dataSource().options().get("host") + ":"
                    + target.dataSource().options().get("port") + " demo.public.customer";
            case "mongodb" -> target.label() + ", demo.customer";
            case "elasticsearch" -> "Elasticsearch " + target.dataSource().options().get("hosts") + " index customer";
            default -> "Kafka " + target.dataSource().options().get("bootstrap-servers") + " topic " + KafkaDemoTarget.TOPIC
                    + " (debezium-json)";
        };
    }

    private static String join(List<String> parts) {
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
