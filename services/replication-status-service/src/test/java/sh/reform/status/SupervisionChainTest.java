package sh.reform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sh.reform.status.RealInfraFixture.report;
import static sh.reform.status.Reported.adoption;
import static sh.reform.status.Reported.rollout;
import static sh.reform.status.Reported.supervision;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.Urged;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.HealthRules;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, done-when 1, on the real broker and registry with the service's clock moved by the test: the city
 * office assigns SH-2023-03 to 金山区 due in 10 days; the district acknowledges; the clock passes "due in 7",
 * "due in 1" and the due date — one reminder each; the city office urges, the district responds; the district
 * claims a measure LIVE, the city office returns it with a reason, the district claims again, the city office
 * accepts; the cell is verified live and closed, and its history holds every step with who and when.
 */
class SupervisionChainTest extends ServiceOnRealInfra {

    static final String CASE = "SH-2023-03";
    static final String JINSHAN = "310116";
    static final String KEY = CASE + "|" + JINSHAN;
    static final String M1 = CASE + "-M1";

    @AfterEach
    void clockBack() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void theWholeChainFromAssignmentToAVerifiedClosedCell() {
        TestClock clock = TestClock.INSTANCE;
        LocalDate today = LocalDate.ofInstant(clock.instant(), HealthRules.SHANGHAI);
        LocalDate due = today.plusDays(10);

        report(supervision("sv-assign", CASE, JINSHAN, now(), Assigned.newBuilder().setDueDate(due).build()));
        report(supervision("sv-ack", CASE, JINSHAN, now(), Acknowledged.newBuilder().setLeadAgency("金山区发展改革委")
                .setContactName("测试联系人").setContactPhone("021-00000000").build()));
        awaitCell(c -> c.path("supervision").path("acknowledged").asBoolean());
        awaitKinds(Map.of(NotificationKind.ASSIGNED, 1, NotificationKind.ACKNOWLEDGED, 1));
        assertThat(cell().path("supervision").path("deadline").asString()).isEqualTo("ON_TRACK");

        clock.advance(Duration.ofDays(3)); // due in 7
        awaitCell(c -> c.path("supervision").path("deadline").asString().equals("DUE_SOON"));
        awaitKinds(Map.of(NotificationKind.DUE_SOON, 1));
        clock.advance(Duration.ofDays(6)); // due in 1
        awaitCell(c -> c.path("supervision").path("daysToDue").asInt() == 1);
        awaitKinds(Map.of(NotificationKind.DUE_SOON, 2));
        clock.advance(Duration.ofDays(2)); // one day past the due date
        awaitCell(c -> c.path("supervision").path("deadline").asString().equals("OVERDUE"));
        awaitKinds(Map.of(NotificationKind.OVERDUE, 1));

        LocalDate replyBy = LocalDate.ofInstant(clock.instant(), HealthRules.SHANGHAI).plusDays(2);
        report(supervision("sv-urge", CASE, JINSHAN, now(), Urged.newBuilder().setMessage("请说明未按期上线的原因")
                .setReplyBy(replyBy).setLevel(EscalationLevel.DISTRICT_CLERK).build()));
        report(supervision("sv-respond", CASE, JINSHAN, now().plusSeconds(60), Responded.newBuilder().setUrgeEventId("sv-urge")
                .setDone("系统已部署").setBlockers("等待市级数据接口").setProposedDate(replyBy.plusDays(5)).build()));
        awaitCell(c -> c.path("supervision").path("urges").path(0).path("answered").asBoolean());

        report(adoption("sv-adopt", CASE, JINSHAN, now().plusSeconds(120), AdoptionDecision.ADOPTED, null, M1));
        report(rollout("sv-live-1", CASE, JINSHAN, now().plusSeconds(180), M1, RolloutStage.LIVE));
        awaitCell(c -> c.path("supervision").path("claimsPending").asInt() == 1);
        report(supervision("sv-return", CASE, JINSHAN, now().plusSeconds(240), ClaimReviewed.newBuilder()
                .setClaimEventId("sv-live-1").setClaimKind(ClaimKind.MEASURE_STAGE).setVerdict(ReviewVerdict.RETURNED)
                .setReason("缺少上线截图与办件记录").build()));
        awaitCell(c -> c.path("supervision").path("claimsReturned").asInt() == 1);
        assertThat(cell().path("supervision").path("verifiedLive").asBoolean()).isFalse();
        assertThat(cell().path("stage").asString()).as("claimed live all the same").isEqualTo("LIVE");
        JsonNode todo = get("/api/v1/status/supervision?batch=SH-2023&district=" + JINSHAN);
        assertThat(todo.path("totals").path("returnedClaims").asInt()).isEqualTo(1);
        assertThat(todo.path("items").valueStream().filter(i -> i.path("caseId").asString().equals(CASE)).findFirst().orElseThrow()
                .path("claims").path(0).path("reason").asString()).isEqualTo("缺少上线截图与办件记录");

        report(rollout("sv-live-2", CASE, JINSHAN, now().plusSeconds(300), M1, RolloutStage.LIVE));
        report(supervision("sv-accept", CASE, JINSHAN, now().plusSeconds(360), ClaimReviewed.newBuilder()
                .setClaimEventId("sv-live-2").setClaimKind(ClaimKind.MEASURE_STAGE).setVerdict(ReviewVerdict.ACCEPTED).build()));
        awaitCell(c -> c.path("supervision").path("verifiedLive").asBoolean());

        JsonNode s = cell().path("supervision");
        JsonNode done = get("/api/v1/status/supervision?batch=SH-2023&district=" + JINSHAN);
        assertThat(done.path("totals").path("closed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(get("/api/v1/status/rollups?batch=SH-2023").path("cityWide").path("verifiedLiveCells").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(s.path("closed").asBoolean()).isTrue();
        assertThat(s.path("deadline").asString()).isEqualTo("DONE");
        assertThat(s.path("leadAgency").asString()).isEqualTo("金山区发展改革委");
        List<String> steps = new ArrayList<>();
        for (JsonNode t : cell().path("history")) {
            if (t.path("subject").asString().equals("supervision")) {
                steps.add(t.path("to").asString());
                assertThat(t.path("by").asString()).as("who").isNotBlank();
                assertThat(t.path("at").asString()).as("when").endsWith("+08:00");
                assertThat(t.path("channel").asString()).as("channel").isEqualTo("MANUAL_ENTRY");
            }
        }
        assertThat(steps).containsExactly("ASSIGNED", "ACKNOWLEDGED", "URGED", "RESPONDED", "CLAIM_SUBMITTED", "CLAIM_RETURNED",
                "CLAIM_SUBMITTED", "CLAIM_ACCEPTED");

        // Every notification of the chain, exactly once.
        Map<NotificationKind, Integer> expected = Map.of(NotificationKind.ASSIGNED, 1, NotificationKind.ACKNOWLEDGED, 1,
                NotificationKind.DUE_SOON, 2, NotificationKind.OVERDUE, 1, NotificationKind.URGED, 1, NotificationKind.RESPONDED, 1,
                NotificationKind.REVIEW_REQUESTED, 2, NotificationKind.CLAIM_RETURNED, 1, NotificationKind.CLAIM_ACCEPTED, 1);
        awaitKinds(expected);
        List<Notification> all = notifications();
        assertThat(all.stream().collect(Collectors.groupingBy(Notification::getKind, Collectors.summingInt(n -> 1))))
                .isEqualTo(expected);
        assertThat(all).extracting(Notification::getNotificationId).doesNotHaveDuplicates();
        assertThat(all).filteredOn(n -> n.getKind() == NotificationKind.CLAIM_RETURNED).singleElement()
                .satisfies(n -> assertThat(n.getBodyZh()).contains("缺少上线截图与办件记录").contains("金山区"));
    }

    private static Instant now() {
        return TestClock.INSTANCE.instant();
    }

    private JsonNode cell() {
        return get("/api/v1/status/cells/" + CASE + "/" + JINSHAN);
    }

    private void awaitCell(Function<JsonNode, Boolean> condition) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> send("/api/v1/status/cells/" + CASE + "/" + JINSHAN).statusCode() == 200 && condition.apply(cell()));
    }

    /** Waits until the notifications topic holds at least these counts for the cell. */
    private static void awaitKinds(Map<NotificationKind, Integer> atLeast) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<NotificationKind, Long> counts = notifications().stream()
                    .collect(Collectors.groupingBy(Notification::getKind, Collectors.counting()));
            atLeast.forEach((kind, n) -> assertThat(counts.getOrDefault(kind, 0L)).as(kind.name()).isGreaterThanOrEqualTo(n));
        });
    }

    /** Every committed notification of the cell. */
    static List<Notification> notifications() {
        return CommittedRecords.of(Topics.NOTIFICATIONS).stream().filter(r -> KEY.equals(r.key())).map(r -> r.value()).toList();
    }
}
