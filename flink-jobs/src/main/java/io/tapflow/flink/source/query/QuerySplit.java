package io.tapflow.flink.source.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The whole result of a query: it has no key order to resume from, so a split interrupted by a failure is read again
 * from the start, and the keyed, idempotent writes of the sink make the repeat harmless (at-least-once).
 */
public record QuerySplit(String splitId) implements SourceSplit {
    static final QuerySplit ONLY = new QuerySplit("query");

    /** Versioned binary form, for checkpoints. */
    static final class Serializer implements SimpleVersionedSerializer<QuerySplit> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(QuerySplit split) {
            return split.splitId.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public QuerySplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("query split state of version " + version + " cannot be read by this tapflow (it reads 1)");
            }
            return new QuerySplit(new String(serialized, StandardCharsets.UTF_8));
        }
    }
}
