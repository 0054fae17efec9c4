package sh.reform.shared.registry;

import java.util.List;

/**
 * The registry refused a schema because it would break the subject's compatibility rule.
 * {@link #problems()} names the fields, worked out locally against the subject's latest version,
 * because registries word their refusal differently (Apicurio's ccompat answer names no field).
 */
public class IncompatibleSchemaException extends SchemaRegistryException {
    private final String subject;
    private final List<String> problems;

    public IncompatibleSchemaException(String subject, List<String> problems, String registryMessage) {
        super("schema for subject '" + subject + "' refused by the registry as incompatible: "
                + (problems.isEmpty() ? registryMessage : String.join("; ", problems)), 409, 409, null);
        this.subject = subject;
        this.problems = List.copyOf(problems);
    }

    public String subject() {
        return subject;
    }

    public List<String> problems() {
        return problems;
    }
}
