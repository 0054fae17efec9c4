package sh.reform.supervision;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import sh.reform.catalog.Catalog;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.schema.supervision.Urged;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.reporting.ReportKind;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;

/**
 * One step of the supervision chain about one case in one district, read from the request the
 * controller marked with its {@link SupervisionAction}: every step shares the envelope checks of the
 * reporting path (case, district, who may act for it) and one producer pool. The origin district of a
 * case is not supervised on its own case: it has nothing to replicate.
 */
@Component
class SupervisionKind implements ReportKind<SupervisionEvent> {

    static final int MAX_MESSAGE = 500;
    static final int MAX_TEXT = 1000;
    static final Pattern PHONE = Pattern.compile("[0-9+()\\- ]{3,30}");

    @Override
    public String serviceName() {
        return "supervision-service";
    }

    @Override
    public Topic<SupervisionEvent> topic() {
        return Topics.SUPERVISION;
    }

    @Override
    public boolean occurredAtDefaultsToNow() {
        return true;
    }

    @Override
    public SupervisionEvent read(ReportFields f, EventEnvelope env, Catalog catalog) {
        SupervisionAction action = action(f);
        var c = catalog.caseById(env.getCaseId());
        if (c.isPresent() && c.get().getOriginDistrict().equals(env.getDistrictCode())) {
            f.error("districtCode", "origin-district", "该区是此案例的首创区，不对其交办或督办本案例的复制",
                    "this district is the case's origin; it is not assigned or supervised on replicating its own case");
        }
        if (action == null) {
            return null;
        }
        LocalDate occurred = env.getOccurredAt().atZone(ReportFields.SHANGHAI).toLocalDate();
        Object step = switch (action) {
            case ASSIGN -> assigned(f, env, catalog, occurred);
            case ACKNOWLEDGE -> acknowledged(f);
            case URGE -> urged(f, env, catalog, occurred);
            case RESPOND -> responded(f, occurred);
            case REVIEW -> reviewed(f);
        };
        return step == null ? null : SupervisionEvent.newBuilder().setEnvelope(env).setAction(step).build();
    }

    @Override
    public void authorize(SupervisionEvent event, ReformPrincipal who) {
        SupervisionAction.of(event.getAction()).requireAllowed(who);
    }

    private static SupervisionAction action(ReportFields f) {
        String s = f.text(SupervisionAction.FIELD, true, 20);
        if (s == null) {
            return null;
        }
        try {
            return SupervisionAction.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            f.error(SupervisionAction.FIELD, "unknown-value", "未知的督办环节“" + s + "”", "unknown supervision step '" + s + "'");
            return null;
        }
    }

    private static Assigned assigned(ReportFields f, EventEnvelope env, Catalog catalog, LocalDate occurred) {
        String measureId = measure(f, env, catalog);
        LocalDate due = notBefore(f, "dueDate", occurred, "期限", "due date");
        return due == null ? null : Assigned.newBuilder().setMeasureId(measureId).setDueDate(due).build();
    }

    private static Acknowledged acknowledged(ReportFields f) {
        String leadAgency = f.text("leadAgency", true, 100);
        String contactName = f.text("contactName", true, 50);
        String phone = f.text("contactPhone", false, 30);
        if (phone != null && !PHONE.matcher(phone).matches()) {
            f.error("contactPhone", "format", "联系电话只能包含数字、空格、+、-、括号（3–30 个字符），如 021-57921234",
                    "a contact phone holds digits, spaces, +, - and parentheses (3–30 characters), e.g. 021-57921234");
            phone = null;
        }
        if (leadAgency == null || contactName == null) {
            return null;
        }
        return Acknowledged.newBuilder().setLeadAgency(leadAgency).setContactName(contactName).setContactPhone(phone).build();
    }

    private static Urged urged(ReportFields f, EventEnvelope env, Catalog catalog, LocalDate occurred) {
        String message = f.text("message", true, MAX_MESSAGE);
        LocalDate replyBy = notBefore(f, "replyBy", occurred, "答复期限", "reply-by date");
        EscalationLevel level = f.enumValue("level", EscalationLevel.class, false, EscalationLevel.DISTRICT_CLERK);
        String measureId = measure(f, env, catalog);
        if (message == null || replyBy == null) {
            return null;
        }
        return Urged.newBuilder().setMessage(message).setReplyBy(replyBy).setLevel(level).setMeasureId(measureId).build();
    }

    private static Responded responded(ReportFields f, LocalDate occurred) {
        UUID urge = f.uuid("urgeEventId", true);
        String done = f.text("done", true, MAX_TEXT);
        String blockers = f.text("blockers", false, MAX_TEXT);
        LocalDate proposed = f.has("proposedDate") ? notBefore(f, "proposedDate", occurred, "建议的新日期", "proposed date") : null;
        if (urge == null || done == null) {
            return null;
        }
        return Responded.newBuilder().setUrgeEventId(urge.toString()).setDone(done).setBlockers(blockers).setProposedDate(proposed).build();
    }

    private static ClaimReviewed reviewed(ReportFields f) {
        UUID claim = f.uuid("claimEventId", true);
        ClaimKind kind = f.enumValue("claimKind", ClaimKind.class, true, null);
        ReviewVerdict verdict = f.enumValue("verdict", ReviewVerdict.class, true, null);
        String reason = f.text("reason", verdict == ReviewVerdict.RETURNED, MAX_MESSAGE);
        if (claim == null || kind == null || verdict == null || (verdict == ReviewVerdict.RETURNED && reason == null)) {
            return null;
        }
        return ClaimReviewed.newBuilder().setClaimEventId(claim.toString()).setClaimKind(kind).setVerdict(verdict).setReason(reason).build();
    }

    /** The optional measure, which must belong to the case (null for the case as a whole). */
    private static String measure(ReportFields f, EventEnvelope env, Catalog catalog) {
        String measureId = f.text("measureId", false, 60);
        if (measureId != null && catalog.caseById(env.getCaseId()).isPresent() && catalog.measure(env.getCaseId(), measureId).isEmpty()) {
            f.error("measureId", "unknown-measure", "举措“" + measureId + "”不属于案例 " + env.getCaseId(),
                    "measure '" + measureId + "' does not belong to case " + env.getCaseId());
        }
        return measureId;
    }

    /** A required date not before the day the step occurred (Asia/Shanghai). */
    private static LocalDate notBefore(ReportFields f, String field, LocalDate occurred, String zh, String en) {
        LocalDate d = f.date(field, true);
        if (d != null && d.isBefore(occurred)) {
            f.error(field, "before-occurred", zh + "（" + d + "）早于发生日期 " + occurred,
                    "the " + en + " (" + d + ") is before the day it was given, " + occurred);
            return null;
        }
        return d;
    }

    @Override
    public Map<String, String> columnAliases() {
        // No file import for supervision steps; kept for the reporting path's interface.
        return Map.of();
    }
}
