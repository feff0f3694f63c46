package io.tapflow.dsl;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a datasource type is: its identifier, whether it can be read from or written to, and the options it takes. */
public record ConnectorType(String identifier, Set<Role> roles, List<OptionDef> options, String description) {

    /** Whether a datasource is used as a pipeline's source or target. */
    public enum Role { SOURCE, TARGET }

    public ConnectorType {
        roles = Set.copyOf(roles);
        options = List.copyOf(options);
    }

    public Optional<OptionDef> option(String key) {
        return options.stream().filter(o -> o.key().equals(key)).findFirst();
    }

    public boolean isSecret(String key) {
        return option(key).map(OptionDef::secret).orElse(false);
    }
}
