package sh.reform.status.fold;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.status.ClaimReview;
import sh.reform.schema.status.ClaimState;
import sh.reform.schema.status.DeadlineState;
import sh.reform.schema.status.MeasureDue;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.status.UrgeState;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.schema.supervision.Urged;

/**
 * The supervision (督办) part of one replay of a cell, in occurred-at order, beside {@link StatusDerivation}:
 * assignments and their due dates, acknowledgement, urges and their answers, and every claim of the district
 * (an adoption, a measure stage, an outcome figure) with its review. Each event is judged against the cell as
 * it stood when the event occurred, like the reports: an urge to a district never assigned, an answer to an
 * urge never made, or a review of a claim never made is applied where it can be and flagged.
 *
 * <h2>Claims</h2>
 * A claim is a report: its event id names it. The latest claim per subject ({@code case}, a measure id,
 * {@code metricId|period}) is the one that counts; a new report about the subject (the district claims again,
 * with evidence) replaces a returned one and waits for review again. Whether a kind of claim needs review is
 * the city office's configuration ({@link SupervisionRules}); one that needs none counts as claimed only
 * ({@link ClaimReview#NOT_REQUIRED}) and does not hold back "verified".
 * <p>
 * The clock-dependent fields (deadline, days to due, escalation, reminders) are left for
 * {@link SupervisionClock}, as health is left for {@link HealthRules}.
 */
final class SupervisionDerivation {

    /** Where the replay's flags and history go (the owning {@link StatusDerivation}). */
    interface Sink {
        void flag(String eventId, String code, Object... args);

        void step(EventEnvelope envelope, String step, String detail);
    }

    static final String CASE_SUBJECT = StatusDerivation.CASE_SUBJECT;

    private final SupervisionRules rules;
    private final Sink sink;

    private boolean any;
    private boolean assigned;
    private java.time.Instant assignedAt;
    private String assignedBy;
    private String assignmentEventId;
    private LocalDate caseDue;
    private final Map<String, LocalDate> measureDue = new TreeMap<>();
    private boolean acknowledged;
    private java.time.Instant acknowledgedAt;
    private String leadAgency;
    private String contactName;
    private String contactPhone;
    private final Map<String, UrgeState> urges = new LinkedHashMap<>();
    private final Map<String, ClaimState> claimsById = new HashMap<>();
    private final Map<String, String> latestClaimBySubject = new LinkedHashMap<>();

    SupervisionDerivation(SupervisionRules rules, Sink sink) {
        this.rules = rules;
        this.sink = sink;
    }

    boolean assigned() {
        return assigned;
    }

    /** A report that claims something: recorded as the subject's latest claim, pending review if the rules say so. */
    void claim(ClaimKind kind, SupervisionRules.Claim type, String subject, String claim, EventEnvelope envelope) {
        boolean review = rules.needsReview(type);
        ClaimState state = ClaimState.newBuilder()
                .setClaimEventId(envelope.getEventId())
                .setKind(kind)
                .setSubject(subject)
                .setClaim(claim)
                .setClaimedAt(envelope.getOccurredAt())
                .setReview(review ? ClaimReview.PENDING : ClaimReview.NOT_REQUIRED)
                .build();
        claimsById.put(envelope.getEventId(), state);
        latestClaimBySubject.remove(subject); // re-inserted last: the list reads in the order of the latest claims
        latestClaimBySubject.put(subject, envelope.getEventId());
        if (review) {
            any = true;
            if (assigned) {
                // A step of the supervised chain; on a cell nobody assigned, the claim waits in the to-do without one
                // history entry per monthly figure.
                sink.step(envelope, "CLAIM_SUBMITTED", subject + " " + claim);
            }
        }
    }

    void apply(SupervisionEvent event) {
        any = true;
        EventEnvelope env = event.getEnvelope();
        Object action = event.getAction();
        if (action instanceof Assigned a) {
            assign(a, env);
        } else if (action instanceof Acknowledged a) {
            acknowledge(a, env);
        } else if (action instanceof Urged u) {
            urge(u, env);
        } else if (action instanceof Responded r) {
            respond(r, env);
        } else if (action instanceof ClaimReviewed r) {
            review(r, env);
        } else {
            sink.flag(env.getEventId(), "UNKNOWN_SUPERVISION_STEP", action == null ? "null" : action.getClass().getSimpleName());
        }
    }

    private void assign(Assigned a, EventEnvelope env) {
        assigned = true;
        if (a.getMeasureId() == null) {
            caseDue = a.getDueDate();
            assignedAt = env.getOccurredAt();
            assignedBy = principal(env);
            assignmentEventId = env.getEventId();
        } else {
            measureDue.put(a.getMeasureId(), a.getDueDate());
            if (assignedAt == null) {
                assignedAt = env.getOccurredAt();
                assignedBy = principal(env);
                assignmentEventId = env.getEventId();
            }
        }
        sink.step(env, "ASSIGNED", (a.getMeasureId() == null ? "" : a.getMeasureId() + " ") + "due " + a.getDueDate());
    }

    private void acknowledge(Acknowledged a, EventEnvelope env) {
        if (!assigned) {
            sink.flag(env.getEventId(), "ACKNOWLEDGED_WITHOUT_ASSIGNMENT");
        }
        acknowledged = true;
        acknowledgedAt = env.getOccurredAt();
        leadAgency = a.getLeadAgency();
        contactName = a.getContactName();
        contactPhone = a.getContactPhone();
        sink.step(env, "ACKNOWLEDGED", a.getLeadAgency() + " / " + a.getContactName());
    }

    private void urge(Urged u, EventEnvelope env) {
        if (!assigned) {
            sink.flag(env.getEventId(), "URGE_WITHOUT_ASSIGNMENT");
        }
        EscalationLevel level = u.getLevel() == null || u.getLevel() == EscalationLevel.UNKNOWN
                ? EscalationLevel.DISTRICT_CLERK : u.getLevel();
        urges.put(env.getEventId(), UrgeState.newBuilder()
                .setUrgeEventId(env.getEventId())
                .setUrgedAt(env.getOccurredAt())
                .setUrgedBy(principal(env))
                .setMessage(u.getMessage())
                .setMeasureId(u.getMeasureId())
                .setReplyBy(u.getReplyBy())
                .setInitialLevel(level)
                .setLevel(level)
                .build());
        sink.step(env, "URGED", level + ", reply by " + u.getReplyBy() + ": " + u.getMessage());
    }

    private void respond(Responded r, EventEnvelope env) {
        UrgeState urge = urges.get(r.getUrgeEventId());
        if (urge == null) {
            sink.flag(env.getEventId(), "RESPONSE_TO_UNKNOWN_URGE", r.getUrgeEventId());
        } else {
            urges.put(r.getUrgeEventId(), UrgeState.newBuilder(urge)
                    .setAnswered(true)
                    .setRespondedAt(env.getOccurredAt())
                    .setRespondedBy(principal(env))
                    .setDone(r.getDone())
                    .setBlockers(r.getBlockers())
                    .setProposedDate(r.getProposedDate())
                    .build());
        }
        sink.step(env, "RESPONDED", r.getDone() + (r.getBlockers() == null ? "" : "; " + r.getBlockers())
                + (r.getProposedDate() == null ? "" : "; → " + r.getProposedDate()));
    }

    private void review(ClaimReviewed r, EventEnvelope env) {
        ClaimState claim = claimsById.get(r.getClaimEventId());
        boolean accepted = r.getVerdict() == ReviewVerdict.ACCEPTED;
        if (claim == null) {
            sink.flag(env.getEventId(), "REVIEW_OF_UNKNOWN_CLAIM", r.getClaimEventId());
        } else if (r.getVerdict() == ReviewVerdict.ACCEPTED || r.getVerdict() == ReviewVerdict.RETURNED) {
            claimsById.put(r.getClaimEventId(), ClaimState.newBuilder(claim)
                    .setReview(accepted ? ClaimReview.ACCEPTED : ClaimReview.RETURNED)
                    .setReviewedAt(env.getOccurredAt())
                    .setReviewedBy(principal(env))
                    .setReason(r.getReason())
                    .build());
        }
        String subject = claim == null ? r.getClaimEventId() : claim.getSubject() + " " + claim.getClaim();
        sink.step(env, accepted ? "CLAIM_ACCEPTED" : "CLAIM_RETURNED",
                subject + (r.getReason() == null ? "" : ": " + r.getReason()));
    }

    /**
     * The state after the replay, or null when the cell has no supervision event and no claim that needs
     * review. {@code planned} and {@code live} describe the measures as the reports left them.
     */
    SupervisionState toState(Set<String> planned, Predicate<String> live) {
        if (!any) {
            return null;
        }
        List<ClaimState> claims = new ArrayList<>();
        int pending = 0;
        int verified = 0;
        int returned = 0;
        for (String id : latestClaimBySubject.values()) {
            ClaimState c = claimsById.get(id);
            claims.add(c);
            switch (c.getReview()) {
                case PENDING -> pending++;
                case ACCEPTED -> verified++;
                case RETURNED -> returned++;
                default -> { }
            }
        }
        int verifiedLive = 0;
        for (String m : planned) {
            if (live.test(m) && verifiedClaim(m)) {
                verifiedLive++;
            }
        }
        boolean allVerified = !planned.isEmpty() && verifiedLive == planned.size();
        List<MeasureDue> dues = new ArrayList<>();
        measureDue.forEach((m, d) -> dues.add(new MeasureDue(m, d)));
        int open = (int) urges.values().stream().filter(u -> !u.getAnswered()).count();
        return SupervisionState.newBuilder()
                .setAssigned(assigned)
                .setAssignedAt(assignedAt)
                .setAssignedBy(assignedBy)
                .setAssignmentEventId(assignmentEventId)
                .setDueDate(caseDue)
                .setMeasureDueDates(dues)
                .setAcknowledged(acknowledged)
                .setAcknowledgedAt(acknowledgedAt)
                .setLeadAgency(leadAgency)
                .setContactName(contactName)
                .setContactPhone(contactPhone)
                .setDeadline(assigned ? DeadlineState.UNKNOWN : DeadlineState.NONE)
                .setDaysToDue(null)
                .setUrges(new ArrayList<>(urges.values()))
                .setOpenUrges(open)
                .setClaims(claims)
                .setClaimsPending(pending)
                .setClaimsVerified(verified)
                .setClaimsReturned(returned)
                .setMeasuresVerifiedLive(verifiedLive)
                .setVerifiedLive(allVerified)
                .setClosed(assigned && allVerified)
                .setRemindersSent(new ArrayList<>())
                .build();
    }

    /** Whether the measure's latest claim counts as verified: accepted, or of a kind that needs no review. */
    private boolean verifiedClaim(String measureId) {
        String id = latestClaimBySubject.get(measureId);
        if (id == null) {
            return false;
        }
        ClaimReview review = claimsById.get(id).getReview();
        return review == ClaimReview.ACCEPTED || review == ClaimReview.NOT_REQUIRED;
    }

    private static String principal(EventEnvelope env) {
        return env.getReporter() == null ? null : env.getReporter().getPrincipal();
    }
}
