package sh.reform.local.infra;

/** A TCP port a local process needs is already taken by something else. */
public final class PortInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int port;

    public PortInUseException(int port, String option) {
        super("端口 " + port + " 已被占用 / port " + port + " is already in use"
                + (option == null || option.isBlank() ? "" : " — set " + option));
        this.port = port;
    }

    public int port() {
        return port;
    }
}
