package sh.reform.status.stream;

import java.time.OffsetDateTime;

import sh.reform.schema.status.StatusAlert;

/** A change of health as the stream sends it (event {@code alert}). */
record AlertRaised(String alertId, String caseId, String districtCode, String previousHealth, String health,
                   String rule, String reasonZh, String reasonEn, OffsetDateTime raisedAt) {

    static AlertRaised of(StatusAlert a) {
        return new AlertRaised(a.getAlertId(), a.getCaseId(), a.getDistrictCode(), a.getPreviousHealth().name(),
                a.getHealth().name(), a.getRule(), a.getReasonZh(), a.getReasonEn(), StatusChange.shanghai(a.getRaisedAt()));
    }
}
