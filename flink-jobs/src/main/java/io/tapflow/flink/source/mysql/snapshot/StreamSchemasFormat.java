package io.tapflow.flink.source.mysql.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The binary form of the table schemas at the streaming start ({@link StreamStart#tableSchemas()}, or null when
 * unknown), as the snapshot's and the binlog source's enumerator states both keep them.
 */
public final class StreamSchemasFormat {
    private StreamSchemasFormat() {}

    public static void write(Map<String, String> schemas, DataOutputView out) throws IOException {
        out.writeBoolean(schemas != null);
        if (schemas == null) {
            return;
        }
        out.writeInt(schemas.size());
        for (Map.Entry<String, String> e : schemas.entrySet()) {
            out.writeUTF(e.getKey());
            // A table's schema in JSON may exceed writeUTF's 64 KiB.
            byte[] json = e.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
        }
    }

    public static Map<String, String> read(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        Map<String, String> schemas = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String table = in.readUTF();
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            schemas.put(table, new String(json, StandardCharsets.UTF_8));
        }
        return schemas;
    }
}
