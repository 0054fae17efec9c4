package sh.reform.status.fold;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.schema.supervision.Urged;

/** Supervision events for the cell of {@link Reports} (SH-2023-01 in 金山区), times as in {@link Reports#at}. */
final class Supervision {

    private Supervision() {
    }

    static StatusFold fold() {
        return new StatusFold(Reports.catalog(), HealthRules.defaults(), SupervisionRules.defaults());
    }

    static StatusFold foldReviewing(SupervisionRules.Claim... claims) {
        return new StatusFold(Reports.catalog(), HealthRules.defaults(), new SupervisionRules(
                claims.length == 0 ? EnumSet.noneOf(SupervisionRules.Claim.class) : EnumSet.of(claims[0], claims),
                List.of(7, 1), HealthRules.SHANGHAI));
    }

    static SupervisionEvent assigned(String id, String when, String due) {
        return event(id, when, true, Assigned.newBuilder().setDueDate(Reports.date(due)).build());
    }

    static SupervisionEvent assignedMeasure(String id, String when, String measureId, String due) {
        return event(id, when, true, Assigned.newBuilder().setMeasureId(measureId).setDueDate(Reports.date(due)).build());
    }

    static SupervisionEvent acknowledged(String id, String when) {
        return event(id, when, false, Acknowledged.newBuilder().setLeadAgency("金山区发展改革委").setContactName("测试联系人").build());
    }

    static SupervisionEvent urged(String id, String when, String replyBy) {
        return event(id, when, true, Urged.newBuilder().setMessage("请加快推进").setReplyBy(Reports.date(replyBy))
                .setLevel(EscalationLevel.DISTRICT_CLERK).build());
    }

    static SupervisionEvent responded(String id, String when, String urgeId) {
        return event(id, when, false, Responded.newBuilder().setUrgeEventId(urgeId).setDone("已完成系统对接")
                .setBlockers("数据共享待协调").build());
    }

    static SupervisionEvent reviewed(String id, String when, String claimId, ReviewVerdict verdict, String reason) {
        return event(id, when, true, ClaimReviewed.newBuilder().setClaimEventId(claimId).setClaimKind(ClaimKind.MEASURE_STAGE)
                .setVerdict(verdict).setReason(reason).build());
    }

    private static SupervisionEvent event(String id, String when, boolean cityOffice, Object action) {
        EventEnvelope env = Reports.envelope(id, when);
        if (cityOffice) {
            env.setReporter(Reporter.newBuilder().setPrincipal("city-office-01").setAgency("市营商办")
                    .setRole(ReporterRole.CITY_OFFICE).build());
        }
        return SupervisionEvent.newBuilder().setEnvelope(env).setAction(action).build();
    }

    static Instant at(String when) {
        return Reports.at(when);
    }
}
