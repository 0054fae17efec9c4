package sh.reform.shared.registry;

/** The registry could not be reached or answered 5xx: a caller should answer 503 and retry later. */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {
    public SchemaRegistryUnavailableException(String message, int status, Throwable cause) {
        super(message, status, 0, cause);
    }
}
