package sh.reform.status.fold;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.status.ClaimReview;
import sh.reform.schema.status.ClaimState;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.status.UrgeState;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.schema.supervision.Urged;

/**
 * The notifications a supervision step or a crossing of the clock produces, as pure functions of the cell's
 * status after it. Each notification's id is derived from its cause (the event id, or the reminder's mark), so
 * the same cause always yields the same id: the fold produces each once, inside its exactly-once transaction,
 * and a deliverer drops a repeat (a rebuild under a new application id) by id.
 *
 * <p>Only cells under supervision (assigned) notify about claims awaiting review: a claim anywhere else still
 * shows as pending in the city office's to-do, without a message per report.
 *
 * @param districtNames GB/T 2260 code → {Chinese name, English name}; a code without a name is shown as the code
 */
public record SupervisionNotices(Map<String, String[]> districtNames) {

    public SupervisionNotices {
        districtNames = Map.copyOf(districtNames);
    }

    /** The notifications the event just applied causes, judged on the cell's status after it. */
    public List<Notification> forEvent(ReplicationStatus after, SpecificRecord event) {
        EventEnvelope env = CellState.envelopeOf(event);
        SupervisionState s = after.getSupervision();
        List<Notification> out = new ArrayList<>(1);
        Instant at = env.getRecordedAt() != null ? env.getRecordedAt() : env.getOccurredAt();
        if (event instanceof SupervisionEvent e) {
            Object action = e.getAction();
            if (action instanceof Assigned a) {
                String measure = a.getMeasureId() == null ? "" : " / " + a.getMeasureId();
                out.add(notice(after, NotificationKind.ASSIGNED, Audience.DISTRICT, env.getEventId(), at, a.getDueDate(), null,
                        measure, a.getDueDate(), env.getNote() == null ? "" : env.getNote()));
            } else if (action instanceof Acknowledged a) {
                out.add(notice(after, NotificationKind.ACKNOWLEDGED, Audience.CITY_OFFICE, env.getEventId(), at, null, null,
                        a.getLeadAgency(), a.getContactName()));
            } else if (action instanceof Urged u) {
                EscalationLevel level = u.getLevel() == null || u.getLevel() == EscalationLevel.UNKNOWN
                        ? EscalationLevel.DISTRICT_CLERK : u.getLevel();
                Bilingual levelText = Bilingual.of("level." + level);
                out.add(notice(after, NotificationKind.URGED, audienceOf(level), env.getEventId(), at, u.getReplyBy(), level,
                        new Bilingual[] {levelText}, u.getMessage(), u.getReplyBy()));
            } else if (action instanceof Responded r) {
                out.add(notice(after, NotificationKind.RESPONDED, Audience.CITY_OFFICE, env.getEventId(), at, r.getProposedDate(), null,
                        r.getDone() + (r.getBlockers() == null ? "" : "；" + r.getBlockers())));
            } else if (action instanceof ClaimReviewed r && (r.getVerdict() == ReviewVerdict.ACCEPTED || r.getVerdict() == ReviewVerdict.RETURNED)) {
                String claim = claimText(s, r.getClaimEventId());
                boolean accepted = r.getVerdict() == ReviewVerdict.ACCEPTED;
                out.add(notice(after, accepted ? NotificationKind.CLAIM_ACCEPTED : NotificationKind.CLAIM_RETURNED, Audience.DISTRICT,
                        env.getEventId(), at, null, null, claim, r.getReason() == null ? "" : r.getReason()));
            }
            return out;
        }
        // A report: a claim waiting for the city office's review, on a cell it supervises.
        if (s != null && s.getAssigned()) {
            claim(s, env.getEventId()).filter(c -> c.getReview() == ClaimReview.PENDING).ifPresent(c ->
                    out.add(notice(after, NotificationKind.REVIEW_REQUESTED, Audience.CITY_OFFICE, env.getEventId(), at, null, null,
                            c.getSubject() + " " + c.getClaim(), env.getEventId())));
        }
        return out;
    }

    /** The notifications of reminder and escalation marks crossed for the first time at {@code now}. */
    public List<Notification> forMarks(ReplicationStatus after, List<String> marks, Instant now) {
        List<Notification> out = new ArrayList<>(marks.size());
        for (String mark : marks) {
            String[] parts = mark.split("@");
            if (mark.startsWith(SupervisionClock.ESCALATED) && parts.length == 3) {
                EscalationLevel level = EscalationLevel.valueOf(parts[2]);
                UrgeState urge = after.getSupervision().getUrges().stream()
                        .filter(u -> u.getUrgeEventId().equals(parts[1])).findFirst().orElse(null);
                out.add(notice(after, NotificationKind.URGE_ESCALATED, audienceOf(level), mark, now,
                        urge == null ? null : urge.getReplyBy(), level,
                        new Bilingual[] {Bilingual.of("level." + level)}, urge == null ? "" : urge.getReplyBy(),
                        urge == null ? "" : urge.getMessage()));
            } else if (parts.length >= 2) {
                LocalDate due = LocalDate.parse(parts[1]);
                String measure = parts.length == 3 ? " / " + parts[2] : "";
                long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(now, HealthRules.SHANGHAI), due);
                boolean overdue = mark.startsWith(SupervisionClock.OVERDUE);
                out.add(notice(after, overdue ? NotificationKind.OVERDUE : NotificationKind.DUE_SOON, Audience.DISTRICT, mark, now,
                        due, null, Math.max(days, 0), measure, due));
            }
        }
        return out;
    }

    private static Audience audienceOf(EscalationLevel level) {
        return switch (level) {
            case DISTRICT_LEADERSHIP -> Audience.DISTRICT_LEADERSHIP;
            case CITY_BULLETIN -> Audience.CITY_OFFICE;
            default -> Audience.DISTRICT;
        };
    }

    private static String claimText(SupervisionState s, String claimEventId) {
        return claim(s, claimEventId).map(c -> c.getSubject() + " " + c.getClaim()).orElse(claimEventId);
    }

    /** The cell's latest claim made by {@code claimEventId}, if it is one. */
    private static java.util.Optional<ClaimState> claim(SupervisionState s, String claimEventId) {
        return s == null ? java.util.Optional.empty()
                : s.getClaims().stream().filter(c -> c.getClaimEventId().equals(claimEventId)).findFirst();
    }

    private Notification notice(ReplicationStatus cell, NotificationKind kind, Audience audience, String cause, Instant at,
                                LocalDate due, EscalationLevel level, Object... args) {
        // Arguments: {0} case, {1} district, then the kind's own; a Bilingual[] argument is resolved per language.
        String[] name = districtNames.getOrDefault(cell.getDistrictCode(), new String[] {cell.getDistrictCode(), cell.getDistrictCode()});
        Object[] zh = new Object[args.length + 2];
        Object[] en = new Object[args.length + 2];
        zh[0] = cell.getCaseId();
        en[0] = cell.getCaseId();
        zh[1] = name[0];
        en[1] = name[1];
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Bilingual[] b) {
                zh[i + 2] = b[0].zh();
                en[i + 2] = b[0].en();
            } else {
                zh[i + 2] = Objects.toString(args[i], "");
                en[i + 2] = zh[i + 2];
            }
        }
        String key = "notice." + kind;
        String id = UUID.nameUUIDFromBytes((cell.getCaseId() + "|" + cell.getDistrictCode() + "|" + kind + "|" + cause)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return Notification.newBuilder()
                .setNotificationId(id)
                .setKind(kind)
                .setCaseId(cell.getCaseId())
                .setDistrictCode(cell.getDistrictCode())
                .setAudience(audience)
                .setTitleZh(Bilingual.of(key + ".title", zh).zh())
                .setTitleEn(Bilingual.of(key + ".title", en).en())
                .setBodyZh(Bilingual.of(key + ".body", zh).zh())
                .setBodyEn(Bilingual.of(key + ".body", en).en())
                .setCreatedAt(at)
                .setCauseEventId(cause.contains("@") ? null : cause)
                .setDueDate(due)
                .setLevel(level)
                .build();
    }
}
