package sh.reform.gateway.reporting;

/** The reporting services the gateway reports through, with their paths. */
public enum ReportingService {
    ADOPTION("/api/v1/adoptions"),
    ROLLOUT("/api/v1/rollouts"),
    OUTCOME("/api/v1/outcomes");

    private final String path;

    ReportingService(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
