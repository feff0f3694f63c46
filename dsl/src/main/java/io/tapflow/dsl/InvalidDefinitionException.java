package io.tapflow.dsl;

import java.util.List;

/** A pipeline or datasource definition with one or more problems, all reported at once. */
public class InvalidDefinitionException extends TapflowException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidDefinitionException(String subject, List<String> problems) {
        super(format(subject, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(String subject, List<String> problems) {
        if (problems.size() == 1) {
            return subject + ": " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder(subject).append(" has ").append(problems.size()).append(" problems:");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }
}
