package io.tapflow.dsl.api;

/** A Kafka topic of a catalog datasource that carries the changes of an API's table (see {@link Api#changesFrom}). */
public record ApiTopic(String datasource, String topic) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return datasource + "." + topic;
    }
}
