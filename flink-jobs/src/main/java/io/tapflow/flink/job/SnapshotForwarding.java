package io.tapflow.flink.job;

import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;

/**
 * Decides whether snapshot rows may skip the keyed exchange at parallelism above 1 and go, in the task that read
 * them, straight to a sink of their own ({@link SnapshotRowsSplit}), while changes keep the keyed path. Only where
 * nothing can then overtake a snapshot row of the same key:
 * <ul>
 * <li>the source starts its change stream only after a completed checkpoint covers every snapshot row
 *     ({@code SourceFactory#streamsAfterCheckpointedSnapshot}), and the sink writes everything it holds on a checkpoint
 *     ({@code SinkFactory#writesAllOnCheckpoint}): every snapshot row is then in the target before the first change;</li>
 * <li>one source datasource reading tables: with several, one may stream while another still snapshots, and a query
 *     source has no change stream to wait for;</li>
 * <li>no lookups: they route rows by join key and keep them in state, which must see snapshot rows and changes alike;</li>
 * <li>no verify sampler: it reads the keyed stream to see each key's latest write.</li>
 * </ul>
 * Anything else keeps today's graph, with every event on the keyed path.
 */
final class SnapshotForwarding {
    private SnapshotForwarding() {}

    static boolean applies(JobPlan plan, int parallelism) {
        if (parallelism <= 1 || plan.sources().size() != 1 || !plan.lookupSources().isEmpty()) {
            return false;
        }
        JobPlan.Source source = plan.sources().get(0);
        return source.query() == null
                && ConnectorFactories.source(source.datasource().type()).streamsAfterCheckpointedSnapshot()
                && ConnectorFactories.sink(plan.target().type()).writesAllOnCheckpoint()
                && plan.pipeline().steps().stream().noneMatch(step -> step instanceof Step.Lookup)
                && plan.pipeline().settings().verifySamplePerSecond() == 0;
    }
}
