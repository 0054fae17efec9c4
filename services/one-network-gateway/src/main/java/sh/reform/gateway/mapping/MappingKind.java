package sh.reform.gateway.mapping;

import java.util.Arrays;
import java.util.Optional;

import sh.reform.gateway.reporting.ReportingService;

/**
 * What a mapping translates, with its path segment under {@code /mappings}: a 一网通办 service
 * item code to a case's measure (rollouts), a figure of the 一网通办 monthly operation report
 * (网办率, 全程网办率, 办件量 …) or a 一网统管 operations indicator (综合巡查次数 …) to metrics (outcomes).
 */
public enum MappingKind {
    SERVICE_ITEM("service-items", ReportingService.ROLLOUT),
    SERVICE_FIGURE("service-figures", ReportingService.OUTCOME),
    OPERATIONS_INDICATOR("operations-indicators", ReportingService.OUTCOME);

    private final String path;
    private final ReportingService service;

    MappingKind(String path, ReportingService service) {
        this.path = path;
        this.service = service;
    }

    public String path() {
        return path;
    }

    public ReportingService service() {
        return service;
    }

    public static Optional<MappingKind> ofPath(String path) {
        return Arrays.stream(values()).filter(k -> k.path.equals(path)).findFirst();
    }
}
