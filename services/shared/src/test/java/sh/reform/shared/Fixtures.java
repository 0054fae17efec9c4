package sh.reform.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;

final class Fixtures {
    private Fixtures() {
    }

    static CaseAdoptionReported adoption(String caseId, String district) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return CaseAdoptionReported.newBuilder()
                .setEnvelope(EventEnvelope.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(now.minusSeconds(60))
                        .setRecordedAt(now)
                        .setDistrictCode(district)
                        .setCaseId(caseId)
                        .setReporter(Reporter.newBuilder().setPrincipal("jinshan-clerk").setAgency("金山区发展改革委")
                                .setRole(ReporterRole.DISTRICT).build())
                        .setSource(ReportSource.MANUAL_ENTRY)
                        .setNote("测试 test")
                        .build())
                .setDecision(AdoptionDecision.ADOPTED)
                .setLeadAgency("金山区市场监管局")
                .setTargetDate(LocalDate.of(2027, 6, 30))
                .setPlannedMeasureIds(List.of(caseId + "-M1", caseId + "-M2"))
                .build();
    }
}
