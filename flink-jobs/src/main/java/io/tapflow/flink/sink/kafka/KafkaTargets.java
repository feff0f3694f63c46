package io.tapflow.flink.sink.kafka;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Listing, checking and creating the topics of a Kafka target. Every topic name and the replication factor are
 * checked against the cluster first; the missing topics are created only after that.
 */
public final class KafkaTargets {
    private static final int TIMEOUT_SECONDS = 10;

    private KafkaTargets() {}

    /** The topics of the cluster, internal ones left out, sorted. */
    public static List<String> listTopics(DataSource ds) {
        KafkaTargetOptions options = KafkaTargetOptions.of(ds);
        try (Admin admin = admin(options.bootstrapServers())) {
            return List.copyOf(new TreeSet<>(existingTopics(admin, options)));
        }
    }

    /** Checks the target topics and creates the missing ones; returns the created topics. */
    public static List<String> prepare(DataSource ds, List<TargetTable> tables, String pipeline) {
        KafkaTargetOptions options = KafkaTargetOptions.of(ds);
        List<String> problems = new ArrayList<>();
        Map<String, TargetTable> topics = new LinkedHashMap<>();
        for (TargetTable t : tables) {
            String topic = KafkaTopics.of(options.topicPattern(), pipeline, t);
            String problem = KafkaTopics.problem(topic);
            if (problem != null) {
                problems.add("target table " + t.name() + ": " + problem + "; change the 'topic' option (now '"
                        + options.topicPattern() + "') or rename the table");
            }
            topics.putIfAbsent(topic, t);
        }
        try (Admin admin = admin(options.bootstrapServers())) {
            int brokers = call(options, () -> admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size());
            Set<String> existing = existingTopics(admin, options);
            List<String> missing = topics.keySet().stream().filter(t -> !existing.contains(t)).toList();
            if (!missing.isEmpty() && options.replicationFactor() > brokers) {
                problems.add("option 'replication-factor' is " + options.replicationFactor() + " but the cluster has "
                        + brokers + " broker(s); topics to create: " + String.join(", ", missing));
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(options.where(), problems);
            }
            if (!missing.isEmpty()) {
                List<NewTopic> create = missing.stream()
                        .map(t -> new NewTopic(t, options.partitions(), options.replicationFactor())
                                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(
                                        options.maxMessageBytes() + KafkaTargetOptions.BATCH_OVERHEAD_BYTES))))
                        .toList();
                call(options, () -> admin.createTopics(create).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return missing;
        }
    }

    private static Set<String> existingTopics(Admin admin, KafkaTargetOptions options) {
        return call(options, () -> admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        // Keeps an unreachable broker from logging reconnect attempts at a high rate while we wait.
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(props);
    }

    /** A call of the admin client whose failures become one message. */
    private interface AdminCall<T> {
        T run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static <T> T call(KafkaTargetOptions options, AdminCall<T> call) {
        try {
            return call.run();
        } catch (TimeoutException e) {
            throw new TapflowException(options.where() + ": no answer from the brokers within " + TIMEOUT_SECONDS
                    + " s; check that Kafka runs and that bootstrap-servers is right", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String what = cause instanceof org.apache.kafka.common.errors.TimeoutException
                    ? "no answer from the brokers within " + TIMEOUT_SECONDS + " s; check that Kafka runs and that"
                    + " bootstrap-servers is right"
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            throw new TapflowException(options.where() + ": " + what, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapflowException(options.where() + ": interrupted", e);
        }
    }
}
