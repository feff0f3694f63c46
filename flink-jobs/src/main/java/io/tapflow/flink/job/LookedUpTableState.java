package io.tapflow.flink.job;

import io.tapflow.flink.schema.Column;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What {@link LookedUpTableFollower} knows of one looked-up table, as checkpointed state: the columns its embedded
 * rows carry and how many changes it followed to get there (restored, the copy that followed the most wins: the
 * subtask that read the change stream). Field by field, behind a version number, so the classes may change while old
 * checkpoints still restore.
 */
record LookedUpTableState(String table, int followed, List<Column> columns) {
    private static final int VERSION = 1;

    LookedUpTableState {
        columns = List.copyOf(columns);
    }

    byte[] toBytes() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(VERSION);
        out.writeUTF(table);
        out.writeInt(followed);
        TargetEvolutionSerializer.writeColumns(columns, out);
        return out.getCopyOfBuffer();
    }

    static LookedUpTableState fromBytes(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("looked-up table state of version " + version + " is not known to this tapflow (it "
                    + "reads version " + VERSION + "); restore with the tapflow that wrote it, or start afresh");
        }
        return new LookedUpTableState(in.readUTF(), in.readInt(), TargetEvolutionSerializer.readColumns(in));
    }
}
