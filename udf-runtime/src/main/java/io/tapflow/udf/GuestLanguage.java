package io.tapflow.udf;

/** The guest languages of UDFs and pipeline scripts, with their GraalVM language ids. */
public enum GuestLanguage {
    JS("js", "JavaScript"), PYTHON("python", "Python");

    private final String id;
    private final String displayName;

    GuestLanguage(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }
}
