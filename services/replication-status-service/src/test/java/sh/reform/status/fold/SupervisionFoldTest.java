package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.K1;
import static sh.reform.status.fold.Reports.M1;
import static sh.reform.status.fold.Reports.M2;
import static sh.reform.status.fold.Reports.M3;
import static sh.reform.status.fold.Reports.adoption;
import static sh.reform.status.fold.Reports.outcome;
import static sh.reform.status.fold.Reports.rollout;
import static sh.reform.status.fold.Supervision.acknowledged;
import static sh.reform.status.fold.Supervision.assigned;
import static sh.reform.status.fold.Supervision.assignedMeasure;
import static sh.reform.status.fold.Supervision.at;
import static sh.reform.status.fold.Supervision.responded;
import static sh.reform.status.fold.Supervision.reviewed;
import static sh.reform.status.fold.Supervision.urged;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.ClaimReview;
import sh.reform.schema.status.DeadlineState;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.schema.supervision.ReviewVerdict;

/** The supervision chain through the pure fold: every transition, the clock, contradictions, order and duplicates. */
class SupervisionFoldTest {

    private final StatusFold fold = Supervision.fold();
    private final SupervisionNotices notices = new SupervisionNotices(java.util.Map.of(DISTRICT, new String[] {"金山区", "Jinshan"}));

    private CellState foldAll(List<SpecificRecord> events, String now) {
        return fold.foldAll(CASE, DISTRICT, events, at(now));
    }

    private static SupervisionState sup(CellState s) {
        return s.status().getSupervision();
    }

    // ---------------------------------------------------------------- transitions, one step at a time

    static Stream<Arguments> steps() {
        // events so far, evaluated at, expected: assigned, acknowledged, deadline, open urges, pending, returned, verifiedLive, closed
        return Stream.of(
                Arguments.of("nothing supervised", List.of(), "2026-12-02", null),
                Arguments.of("assigned", List.of(assigned("s1", "2026-12-01", "2026-12-11")), "2026-12-02",
                        new Expect(true, false, DeadlineState.ON_TRACK, 0, 0, 0, false, false)),
                Arguments.of("acknowledged", List.of(assigned("s1", "2026-12-01", "2026-12-11"), acknowledged("s2", "2026-12-02")),
                        "2026-12-02", new Expect(true, true, DeadlineState.ON_TRACK, 0, 0, 0, false, false)),
                Arguments.of("due in 7", List.of(assigned("s1", "2026-12-01", "2026-12-11")), "2026-12-04",
                        new Expect(true, false, DeadlineState.DUE_SOON, 0, 0, 0, false, false)),
                Arguments.of("overdue", List.of(assigned("s1", "2026-12-01", "2026-12-11")), "2026-12-12",
                        new Expect(true, false, DeadlineState.OVERDUE, 0, 0, 0, false, false)),
                Arguments.of("urged", List.of(assigned("s1", "2026-12-01", "2026-12-11"), urged("u1", "2026-12-12", "2026-12-15")),
                        "2026-12-12", new Expect(true, false, DeadlineState.OVERDUE, 1, 0, 0, false, false)),
                Arguments.of("responded", List.of(assigned("s1", "2026-12-01", "2026-12-11"), urged("u1", "2026-12-12", "2026-12-15"),
                        responded("p1", "2026-12-13", "u1")), "2026-12-13", new Expect(true, false, DeadlineState.OVERDUE, 0, 0, 0, false, false)),
                Arguments.of("claimed live, pending review", withAllLive(), "2026-12-05",
                        new Expect(true, false, DeadlineState.DONE, 0, 3, 0, false, false)),
                Arguments.of("one claim returned", append(withAllLive(), reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证")),
                        "2026-12-06", new Expect(true, false, DeadlineState.DONE, 0, 2, 1, false, false)),
                Arguments.of("all accepted: verified, closed", append(withAllLive(),
                        reviewed("v1", "2026-12-06", "r1", ReviewVerdict.ACCEPTED, null),
                        reviewed("v2", "2026-12-06", "r2", ReviewVerdict.ACCEPTED, null),
                        reviewed("v3", "2026-12-06", "r3", ReviewVerdict.ACCEPTED, null)),
                        "2026-12-06", new Expect(true, false, DeadlineState.DONE, 0, 0, 0, true, true)));
    }

    record Expect(boolean assigned, boolean acknowledged, DeadlineState deadline, int openUrges, int pending, int returned,
                  boolean verifiedLive, boolean closed) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void eachStepOfTheChain(String name, List<SpecificRecord> events, String now, Expect expect) {
        SupervisionState s = sup(foldAll(events, now));
        if (expect == null) {
            assertThat(s).isNull();
            return;
        }
        assertThat(s.getAssigned()).as("assigned").isEqualTo(expect.assigned());
        assertThat(s.getAcknowledged()).as("acknowledged").isEqualTo(expect.acknowledged());
        assertThat(s.getDeadline()).as("deadline").isEqualTo(expect.deadline());
        assertThat(s.getOpenUrges()).as("open urges").isEqualTo(expect.openUrges());
        assertThat(s.getClaimsPending()).as("pending").isEqualTo(expect.pending());
        assertThat(s.getClaimsReturned()).as("returned").isEqualTo(expect.returned());
        assertThat(s.getVerifiedLive()).as("verified live").isEqualTo(expect.verifiedLive());
        assertThat(s.getClosed()).as("closed").isEqualTo(expect.closed());
    }

    private static List<SpecificRecord> withAllLive() {
        return List.of(assigned("s1", "2026-12-01", "2026-12-11"),
                adoption("a1", "2026-12-02", AdoptionDecision.ADOPTED),
                rollout("r1", "2026-12-03", M1, RolloutStage.LIVE),
                rollout("r2", "2026-12-03T11:00", M2, RolloutStage.LIVE),
                rollout("r3", "2026-12-03T12:00", M3, RolloutStage.LIVE));
    }

    private static List<SpecificRecord> append(List<SpecificRecord> events, SpecificRecord... more) {
        List<SpecificRecord> out = new ArrayList<>(events);
        out.addAll(List.of(more));
        return out;
    }

    // ---------------------------------------------------------------- the clock: reminders exactly once per crossing

    @Test
    void eachReminderThresholdIsCrossedOnce() {
        CellState s = fold.apply(CellState.empty(CASE, DISTRICT), assigned("s1", "2026-12-01", "2026-12-11"));
        List<String> notified = new ArrayList<>();
        for (String day : List.of("2026-12-01", "2026-12-02", "2026-12-04", "2026-12-04T18:00", "2026-12-05", "2026-12-10",
                "2026-12-10T20:00", "2026-12-11", "2026-12-12", "2026-12-13", "2026-12-20")) {
            StatusFold.Evaluated e = fold.evaluateNoting(s, at(day));
            notified.addAll(e.newMarks());
            s = e.state();
        }
        assertThat(notified).containsExactly("DUE_SOON_7@2026-12-11", "DUE_SOON_1@2026-12-11", "OVERDUE@2026-12-11");
        // A restart evaluates the stored state again: nothing new.
        assertThat(fold.evaluateNoting(CellState.fromBytes(s.toBytes()), at("2026-12-21")).newMarks()).isEmpty();
    }

    @Test
    void aClockThatJumpsOverSeveralThresholdsRemindsOnceForTheMostUrgent() {
        CellState s = fold.apply(CellState.empty(CASE, DISTRICT), assigned("s1", "2026-12-01", "2026-12-11"));
        StatusFold.Evaluated e = fold.evaluateNoting(s, at("2026-12-15"));
        assertThat(e.newMarks()).containsExactly("OVERDUE@2026-12-11");
        assertThat(sup(e.state()).getRemindersSent()).containsExactlyInAnyOrder(
                "DUE_SOON_7@2026-12-11", "DUE_SOON_1@2026-12-11", "OVERDUE@2026-12-11");
    }

    @Test
    void aMovedDueDateRemindsAgainAndReportsKeepTheMarks() {
        CellState s = fold.apply(CellState.empty(CASE, DISTRICT), assigned("s1", "2026-12-01", "2026-12-11"));
        s = fold.evaluateNoting(s, at("2026-12-12")).state();
        s = fold.apply(s, adoption("a1", "2026-12-12", AdoptionDecision.ADOPTED)); // a report: marks survive the refold
        assertThat(fold.evaluateNoting(s, at("2026-12-12")).newMarks()).isEmpty();
        s = fold.apply(s, assigned("s2", "2026-12-12", "2026-12-31"));
        StatusFold.Evaluated e = fold.evaluateNoting(s, at("2026-12-25"));
        assertThat(e.newMarks()).containsExactly("DUE_SOON_7@2026-12-31");
        assertThat(sup(e.state()).getDeadline()).isEqualTo(DeadlineState.DUE_SOON);
        assertThat(sup(e.state()).getDaysToDue()).isEqualTo(6);
    }

    @Test
    void aLiveCaseIsDoneAndNeverOverdue() {
        CellState s = foldAll(append(withAllLive()), "2026-12-20");
        assertThat(sup(s).getDeadline()).isEqualTo(DeadlineState.DONE);
        assertThat(fold.evaluateNoting(s, at("2026-12-21")).newMarks()).isEmpty();
    }

    @Test
    void aMeasureAssignedOnItsOwnHasItsOwnDeadline() {
        CellState s = foldAll(List.of(assignedMeasure("s1", "2026-12-01", M2, "2026-12-05"),
                rollout("r1", "2026-12-02", M1, RolloutStage.LIVE)), "2026-12-06");
        assertThat(sup(s).getDueDate()).isNull();
        assertThat(sup(s).getMeasureDueDates()).hasSize(1);
        assertThat(sup(s).getDeadline()).isEqualTo(DeadlineState.OVERDUE);
        assertThat(sup(s).getRemindersSent()).contains("OVERDUE@2026-12-05@" + M2);
        CellState live = fold.evaluate(fold.apply(s, rollout("r2", "2026-12-06", M2, RolloutStage.LIVE)), at("2026-12-06"));
        assertThat(sup(live).getDeadline()).isEqualTo(DeadlineState.DONE);
    }

    @Test
    void anUnansweredUrgeEscalatesOneLevelOnce() {
        CellState s = foldAll(List.of(assigned("s1", "2026-12-01", "2026-12-11"), urged("u1", "2026-12-12", "2026-12-15")),
                "2026-12-15");
        assertThat(sup(s).getUrges().get(0).getLevel()).isEqualTo(EscalationLevel.DISTRICT_CLERK);
        StatusFold.Evaluated e = fold.evaluateNoting(s, at("2026-12-16"));
        assertThat(e.newMarks()).containsExactly("ESCALATED@u1@DISTRICT_LEADERSHIP");
        assertThat(sup(e.state()).getUrges().get(0).getLevel()).isEqualTo(EscalationLevel.DISTRICT_LEADERSHIP);
        // Evaluated again, from the stored state, days later: it does not climb further.
        StatusFold.Evaluated again = fold.evaluateNoting(CellState.fromBytes(e.state().toBytes()), at("2026-12-30"));
        assertThat(again.newMarks()).isEmpty();
        assertThat(sup(again.state()).getUrges().get(0).getLevel()).isEqualTo(EscalationLevel.DISTRICT_LEADERSHIP);
        assertThat(SupervisionClock.next(EscalationLevel.DISTRICT_LEADERSHIP)).isEqualTo(EscalationLevel.CITY_BULLETIN);
    }

    @Test
    void anUrgeAnsweredInTimeDoesNotEscalate() {
        CellState s = foldAll(List.of(assigned("s1", "2026-12-01", "2026-12-11"), urged("u1", "2026-12-12", "2026-12-15"),
                responded("p1", "2026-12-14", "u1")), "2026-12-20");
        assertThat(sup(s).getUrges().get(0).getLevel()).isEqualTo(EscalationLevel.DISTRICT_CLERK);
        assertThat(sup(s).getUrges().get(0).getAnswered()).isTrue();
        assertThat(sup(s).getUrges().get(0).getBlockers()).isEqualTo("数据共享待协调");
        assertThat(sup(s).getRemindersSent()).noneMatch(m -> m.startsWith("ESCALATED"));
    }

    // ---------------------------------------------------------------- claims and review

    @Test
    void aReturnedClaimWaitsForANewClaimWhichIsReviewedAgain() {
        List<SpecificRecord> events = append(withAllLive(),
                reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证"),
                rollout("r1b", "2026-12-07", M1, RolloutStage.LIVE));
        SupervisionState s = sup(foldAll(events, "2026-12-07"));
        assertThat(s.getClaimsReturned()).isZero();
        assertThat(s.getClaims()).filteredOn(c -> c.getSubject().equals(M1)).singleElement()
                .satisfies(c -> {
                    assertThat(c.getClaimEventId()).isEqualTo("r1b");
                    assertThat(c.getReview()).isEqualTo(ClaimReview.PENDING);
                });
    }

    @Test
    void outcomesAreClaimsToo() {
        SupervisionState s = sup(foldAll(List.of(adoption("a1", "2026-12-02", AdoptionDecision.ADOPTED),
                outcome("o1", "2026-12-03", K1, "2026-11", 20.0)), "2026-12-03"));
        assertThat(s.getAssigned()).isFalse();
        assertThat(s.getClaimsPending()).isEqualTo(1);
        assertThat(s.getClaims()).extracting(c -> c.getSubject()).contains(K1 + "|2026-11");
    }

    @Test
    void whatNeedsReviewIsConfiguration() {
        StatusFold none = Supervision.foldReviewing();
        CellState s = none.foldAll(CASE, DISTRICT, withAllLive(), at("2026-12-05"));
        assertThat(sup(s).getClaimsPending()).isZero();
        assertThat(sup(s).getVerifiedLive()).isTrue();
        assertThat(sup(s).getClosed()).isTrue();
        StatusFold adoptionsToo = Supervision.foldReviewing(SupervisionRules.Claim.ADOPTION, SupervisionRules.Claim.MEASURE_LIVE);
        assertThat(sup(adoptionsToo.foldAll(CASE, DISTRICT, withAllLive(), at("2026-12-05"))).getClaimsPending()).isEqualTo(4);
    }

    // ---------------------------------------------------------------- contradictions

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of(List.of(urged("u1", "2026-12-02", "2026-12-05")), "URGE_WITHOUT_ASSIGNMENT"),
                Arguments.of(List.of(acknowledged("k1", "2026-12-02")), "ACKNOWLEDGED_WITHOUT_ASSIGNMENT"),
                Arguments.of(List.of(assigned("s1", "2026-12-01", "2026-12-11"), responded("p1", "2026-12-02", "nope")),
                        "RESPONSE_TO_UNKNOWN_URGE"),
                Arguments.of(List.of(assigned("s1", "2026-12-01", "2026-12-11"),
                        reviewed("v1", "2026-12-02", "never-claimed", ReviewVerdict.ACCEPTED, null)), "REVIEW_OF_UNKNOWN_CLAIM"),
                // A review that occurred before the claim it names is a review of a claim not yet made.
                Arguments.of(List.of(reviewed("v1", "2026-12-02", "r1", ReviewVerdict.ACCEPTED, null),
                        rollout("r1", "2026-12-03", M1, RolloutStage.LIVE)), "REVIEW_OF_UNKNOWN_CLAIM"));
    }

    @ParameterizedTest
    @MethodSource("contradictions")
    void contradictionsAreAppliedWhereTheyCanBeAndFlagged(List<SpecificRecord> events, String code) {
        ReplicationStatus s = foldAll(events, "2026-12-05").status();
        assertThat(s.getFlags()).extracting(f -> f.getCode()).contains(code);
        assertThat(s.getFlags()).allSatisfy(f -> assertThat(f.getMessageZh()).isNotBlank());
    }

    // ---------------------------------------------------------------- order, duplicates, history

    @Test
    void anyArrivalOrderAndRepeatsGiveTheSameStatus() {
        List<SpecificRecord> events = append(withAllLive(), acknowledged("k1", "2026-12-01T15:00"),
                urged("u1", "2026-12-04", "2026-12-06"), responded("p1", "2026-12-05", "u1"),
                reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证"),
                reviewed("v2", "2026-12-06T11:00", "r2", ReviewVerdict.ACCEPTED, null));
        ReplicationStatus expected = foldAll(events, "2026-12-08").status();
        Random random = new Random(16);
        for (int i = 0; i < 20; i++) {
            List<SpecificRecord> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            shuffled.add(shuffled.get(random.nextInt(shuffled.size()))); // a repeat
            assertThat(foldAll(shuffled, "2026-12-08").status()).isEqualTo(expected);
        }
    }

    @Test
    void everyStepIsInTheHistoryWithWhoAndChannel() {
        List<SpecificRecord> events = append(withAllLive(), acknowledged("k1", "2026-12-01T15:00"),
                reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证"));
        ReplicationStatus s = foldAll(events, "2026-12-08").status();
        assertThat(s.getHistory()).filteredOn(t -> t.getSubject().equals("supervision")).extracting(t -> t.getTo())
                .containsExactly("ASSIGNED", "ACKNOWLEDGED", "CLAIM_SUBMITTED", "CLAIM_SUBMITTED", "CLAIM_SUBMITTED", "CLAIM_RETURNED");
        assertThat(s.getHistory()).filteredOn(t -> t.getTo().equals("ASSIGNED")).singleElement()
                .satisfies(t -> {
                    assertThat(t.getBy()).isEqualTo("city-office-01");
                    assertThat(t.getChannel()).isEqualTo("MANUAL_ENTRY");
                    assertThat(t.getDetail()).contains("2026-12-11");
                });
        assertThat(s.getHistory()).filteredOn(t -> t.getTo().equals("CLAIM_RETURNED")).singleElement()
                .satisfies(t -> assertThat(t.getDetail()).contains("缺少佐证"));
    }

    @Test
    void asOfADateTheSupervisionIsThatOfThePrefix() {
        List<SpecificRecord> events = append(withAllLive(), reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证"));
        CellState all = foldAll(events, "2026-12-08");
        CellState before = fold.asOf(all, at("2026-12-02T12:00"));
        assertThat(sup(before).getClaims()).extracting(c -> c.getSubject()).containsExactly("case");
        assertThat(sup(before).getClaimsPending()).isZero();
        assertThat(sup(before).getAssigned()).isTrue();
        assertThat(sup(before).getDaysToDue()).isEqualTo(9);
    }

    // ---------------------------------------------------------------- notifications

    @Test
    void eachStepNotifiesItsAudienceWithAnIdOfItsCause() {
        CellState s = foldAll(List.of(assigned("s1", "2026-12-01", "2026-12-11")), "2026-12-01");
        List<Notification> n = notices.forEvent(s.status(), assigned("s1", "2026-12-01", "2026-12-11"));
        assertThat(n).singleElement().satisfies(x -> {
            assertThat(x.getKind()).isEqualTo(NotificationKind.ASSIGNED);
            assertThat(x.getAudience()).isEqualTo(Audience.DISTRICT);
            assertThat(x.getTitleZh()).contains("交办").contains("金山区");
            assertThat(x.getBodyEn()).contains("2026-12-11");
        });
        assertThat(notices.forEvent(s.status(), assigned("s1", "2026-12-01", "2026-12-11")).get(0).getNotificationId())
                .isEqualTo(n.get(0).getNotificationId());

        CellState returned = foldAll(append(withAllLive(), reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证")),
                "2026-12-06");
        Notification back = notices.forEvent(returned.status(), reviewed("v1", "2026-12-06", "r1", ReviewVerdict.RETURNED, "缺少佐证")).get(0);
        assertThat(back.getKind()).isEqualTo(NotificationKind.CLAIM_RETURNED);
        assertThat(back.getBodyZh()).contains("缺少佐证").contains(M1);

        // A claim on a supervised cell asks the city office for review; the same claim elsewhere does not notify.
        assertThat(notices.forEvent(returned.status(), rollout("r2", "2026-12-03T11:00", M2, RolloutStage.LIVE)))
                .extracting(Notification::getKind).containsExactly(NotificationKind.REVIEW_REQUESTED);
        CellState unassigned = foldAll(List.of(rollout("r9", "2026-12-03", M1, RolloutStage.LIVE)), "2026-12-03");
        assertThat(notices.forEvent(unassigned.status(), rollout("r9", "2026-12-03", M1, RolloutStage.LIVE))).isEmpty();
    }

    @Test
    void remindersAndEscalationsNotifyInBothLanguages() {
        CellState s = foldAll(List.of(assigned("s1", "2026-12-01", "2026-12-11"), urged("u1", "2026-12-12", "2026-12-15")),
                "2026-12-12");
        List<Notification> n = notices.forMarks(s.status(), List.of("DUE_SOON_7@2026-12-11", "OVERDUE@2026-12-11",
                "ESCALATED@u1@DISTRICT_LEADERSHIP"), at("2026-12-16"));
        assertThat(n).extracting(Notification::getKind).containsExactly(NotificationKind.DUE_SOON, NotificationKind.OVERDUE,
                NotificationKind.URGE_ESCALATED);
        assertThat(n.get(2).getAudience()).isEqualTo(Audience.DISTRICT_LEADERSHIP);
        assertThat(n.get(2).getTitleZh()).contains("区分管领导");
        assertThat(n.get(2).getTitleEn()).contains("district leadership");
        assertThat(n).extracting(Notification::getNotificationId).doesNotHaveDuplicates();
    }
}
