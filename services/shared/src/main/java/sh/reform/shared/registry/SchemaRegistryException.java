package sh.reform.shared.registry;

/** A schema registry call failed; {@link #status()} is the HTTP status, or 0 when no answer came. */
public class SchemaRegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** The Confluent error code from the body (e.g. 40401 subject not found, 409 incompatible), or 0. */
    public int errorCode() {
        return errorCode;
    }
}
