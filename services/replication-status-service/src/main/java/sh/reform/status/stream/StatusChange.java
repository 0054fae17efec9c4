package sh.reform.status.stream;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.status.fold.HealthRules;

/** A status change as the stream sends it (event {@code status}); times in Asia/Shanghai. */
record StatusChange(String caseId, String districtCode, String stage, String health, List<String> healthRules,
                    int measuresLive, int measuresPlanned, long eventCount, OffsetDateTime lastReportAt,
                    OffsetDateTime evaluatedAt) {

    static StatusChange of(ReplicationStatus s) {
        return new StatusChange(s.getCaseId(), s.getDistrictCode(), s.getOverallStage().name(), s.getHealth().name(),
                List.copyOf(s.getHealthRules()), s.getMeasuresLive(), s.getMeasuresPlanned(), s.getEventCount(),
                shanghai(s.getLastReportAt()), shanghai(s.getEvaluatedAt()));
    }

    static OffsetDateTime shanghai(Instant i) {
        return i == null ? null : i.atZone(HealthRules.SHANGHAI).toOffsetDateTime();
    }
}
