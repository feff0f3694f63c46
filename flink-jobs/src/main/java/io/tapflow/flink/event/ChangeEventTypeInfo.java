package io.tapflow.flink.event;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information that makes Flink use {@link ChangeEventSerializer} for change events, never Kryo: with a job's
 * {@link RowLayouts} ({@link #of}) where events cross task boundaries, else without ({@link #INSTANCE}).
 */
public final class ChangeEventTypeInfo extends TypeInformation<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    public static final ChangeEventTypeInfo INSTANCE = new ChangeEventTypeInfo(RowLayouts.NONE);

    private final RowLayouts layouts;

    private ChangeEventTypeInfo(RowLayouts layouts) {
        this.layouts = layouts;
    }

    public static ChangeEventTypeInfo of(RowLayouts layouts) {
        return new ChangeEventTypeInfo(layouts);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ChangeEvent> getTypeClass() {
        return ChangeEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ChangeEvent> createSerializer(SerializerConfig config) {
        return ChangeEventSerializer.compact(layouts);
    }

    @Override
    @Deprecated
    public TypeSerializer<ChangeEvent> createSerializer(ExecutionConfig config) {
        return ChangeEventSerializer.compact(layouts);
    }

    @Override
    public String toString() {
        return "ChangeEvent";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ChangeEventTypeInfo other && layouts.equals(other.layouts);
    }

    @Override
    public int hashCode() {
        return layouts.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ChangeEventTypeInfo;
    }
}
