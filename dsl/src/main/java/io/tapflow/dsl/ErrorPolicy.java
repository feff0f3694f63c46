package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a pipeline does with a row that a step cannot process (a UDF that throws or runs too long, a value that does
 * not convert): fail the job (the default), skip up to {@code maxErrors} such rows, or write them with the reason to
 * a dead-letter table. Skipped and dead-lettered rows are counted in Flink metrics; none is dropped silently.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorPolicy(Mode mode, long maxErrors, TableRef deadLetter) implements java.io.Serializable {
    public static final ErrorPolicy FAIL = new ErrorPolicy(Mode.FAIL, 0, null);

    /** The three policies. */
    public enum Mode { @JsonProperty("fail") FAIL, @JsonProperty("skip") SKIP, @JsonProperty("dead_letter") DEAD_LETTER }

    public ErrorPolicy {
        mode = mode == null ? Mode.FAIL : mode;
    }

    public static ErrorPolicy skip(long maxErrors) {
        return new ErrorPolicy(Mode.SKIP, maxErrors, null);
    }

    public static ErrorPolicy deadLetter(TableRef table) {
        return new ErrorPolicy(Mode.DEAD_LETTER, 0, table);
    }
}
