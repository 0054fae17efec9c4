package sh.reform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sh.reform.status.RealInfraFixture.reportAll;
import static sh.reform.status.Reported.adoption;
import static sh.reform.status.Reported.at;
import static sh.reform.status.Reported.envelope;
import static sh.reform.status.Reported.rollout;
import static sh.reform.status.Reported.supervision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.Urged;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.topics.Topics;
import sh.reform.status.bulletin.BulletinSchedule;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18 on the real broker and registry: events in October and November 2026 (cases SH-2023-13, -15 and -19 in
 * 青浦区 310118 and 奉贤区 310120, which no other status test uses). The November bulletin says what the as-of status
 * API says for 30 Nov 24:00 (Asia/Shanghai), cell for cell — rates per district and city-wide, red cells with their
 * reasons, overdue assignments, urges, returned claims — and its trend is the difference from 31 Oct 24:00. Then the
 * schedule fires on two "instances" at once (two producers with the same fenced transactional id, as two status
 * instances would have) and one bulletin comes of it; a re-issue needs a reason, makes version 2, and version 1 stays
 * readable; the files download; a district may read but not issue.
 */
class BulletinOnRealBrokerTest extends ServiceOnRealInfra {

    static final String QINGPU = "310118";
    static final String FENGXIAN = "310120";
    static final String C13 = "SH-2023-13";
    static final String C15 = "SH-2023-15";
    static final String C19 = "SH-2023-19";
    static final String CITY = LocalTokens.cityOffice(LocalTokens.LOCAL_SECRET, "city-office-bulletins", Duration.ofHours(1));
    static final String DISTRICT = LocalTokens.district(LocalTokens.LOCAL_SECRET, QINGPU, "青浦区发展改革委", Duration.ofHours(1));

    @Autowired
    BulletinSchedule schedule;

    @Test
    void theNovemberBulletinIsTheAsOfStatusAndIsIssuedOnceThenReissuedWithAReason() throws Exception {
        reportAll(List.of(
                // October: 青浦 adopts 13 and claims M1 live; 奉贤 adopts 15 with a target in November.
                adoption("bl-13-qp-adopt", C13, QINGPU, at("2026-10-10"), AdoptionDecision.ADOPTED, null, C13 + "-M1"),
                rollout("bl-13-qp-live", C13, QINGPU, at("2026-10-20"), C13 + "-M1", RolloutStage.LIVE),
                adoption("bl-15-fx-adopt", C15, FENGXIAN, at("2026-10-15"), AdoptionDecision.ADOPTED, LocalDate.of(2026, 11, 10),
                        C15 + "-M1", C15 + "-M2"),
                // November: the city office verifies 青浦's claim; 青浦 adopts 19; 奉贤 is assigned 15, misses the due
                // date and does not answer the urge; 奉贤 claims 19-M1 live and the claim is returned.
                supervision("bl-13-qp-accept", C13, QINGPU, at("2026-11-05"), ClaimReviewed.newBuilder()
                        .setClaimEventId("bl-13-qp-live").setClaimKind(ClaimKind.MEASURE_STAGE).setVerdict(ReviewVerdict.ACCEPTED).build()),
                outcome("bl-13-qp-k2", C13, QINGPU, at("2026-11-06"), C13 + "-K2", "2026-10", 12),
                adoption("bl-19-qp-adopt", C19, QINGPU, at("2026-11-03"), AdoptionDecision.ADOPTED, null, C19 + "-M1"),
                supervision("bl-15-fx-assign", C15, FENGXIAN, at("2026-11-01"), Assigned.newBuilder()
                        .setDueDate(LocalDate.of(2026, 11, 20)).build()),
                supervision("bl-15-fx-urge", C15, FENGXIAN, at("2026-11-22"), Urged.newBuilder().setMessage("请说明未按期完成的原因")
                        .setReplyBy(LocalDate.of(2026, 11, 25)).setLevel(EscalationLevel.DISTRICT_CLERK).build()),
                adoption("bl-19-fx-adopt", C19, FENGXIAN, at("2026-11-02"), AdoptionDecision.ADOPTED, null, C19 + "-M1"),
                rollout("bl-19-fx-live", C19, FENGXIAN, at("2026-11-10"), C19 + "-M1", RolloutStage.LIVE),
                supervision("bl-19-fx-return", C19, FENGXIAN, at("2026-11-12"), ClaimReviewed.newBuilder()
                        .setClaimEventId("bl-19-fx-live").setClaimKind(ClaimKind.MEASURE_STAGE).setVerdict(ReviewVerdict.RETURNED)
                        .setReason("未附上线截图").build())));

        // The as-of answers are replays of the log: wait until they include the last event.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> r = send("/api/v1/status/cells/" + C19 + "/" + FENGXIAN + "?asOf=2026-11-30");
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("supervision").path("claimsReturned").asInt() == 1;
        });

        JsonNode nov = get("/api/v1/bulletins/preview?batch=SH-2023&period=2026-11");
        JsonNode rollNov = get("/api/v1/status/rollups?batch=SH-2023&asOf=2026-11-30");
        JsonNode rollOct = get("/api/v1/status/rollups?batch=SH-2023&asOf=2026-10-31");
        assertThat(nov.path("asOf").asString()).isEqualTo(rollNov.path("asOf").asString()).startsWith("2026-11-30T23:59:59.999");

        // Rates, per district and city-wide, cell for cell.
        assertSameRates(nov.path("city"), rollNov.path("cityWide"), "replicationRate", "eligibleCells", "adoptedCells", "liveCells",
                "verifiedLiveCells", "redCells", "overdueCells");
        assertThat(nov.path("districts").size()).isEqualTo(rollNov.path("ranking").size());
        for (int i = 0; i < nov.path("districts").size(); i++) {
            JsonNode b = nov.path("districts").path(i);
            JsonNode r = rollNov.path("ranking").path(i);
            assertThat(b.path("districtCode").asString()).isEqualTo(r.path("districtCode").asString());
            assertThat(b.path("rank").asInt()).isEqualTo(r.path("rank").asInt());
            assertSameRates(b.path("rates"), r, "adoptionRate", "eligible", "adopted", "live", "verifiedLive", "red", "overdue");
        }
        JsonNode qp = district(nov, QINGPU).path("rates");
        assertThat(qp.path("adopted").asInt()).isEqualTo(2);
        assertThat(qp.path("verifiedLive").asInt()).isEqualTo(1);

        // Red cells with reasons, as the districts' as-of views say.
        Set<String> red = new HashSet<>();
        for (JsonNode d : rollNov.path("ranking")) {
            for (JsonNode c : get("/api/v1/status/districts/" + d.path("districtCode").asString() + "?batch=SH-2023&asOf=2026-11-30").path("red")) {
                red.add(c.path("caseId").asString() + "|" + d.path("districtCode").asString() + "|" + c.path("reasonZh").asString());
            }
        }
        Set<String> bulletinRed = new HashSet<>();
        nov.path("redCells").forEach(c -> bulletinRed.add(c.path("caseId").asString() + "|" + c.path("districtCode").asString() + "|"
                + c.path("reasonZh").asString()));
        assertThat(bulletinRed).isEqualTo(red).anyMatch(k -> k.startsWith(C15 + "|" + FENGXIAN + "|"));

        // Overdue assignments, urges and returned claims, as the supervision to-do says as of then.
        JsonNode todo = get("/api/v1/status/supervision?batch=SH-2023&asOf=2026-11-30");
        Set<String> overdue = new HashSet<>();
        Set<String> returned = new HashSet<>();
        Set<String> openUrges = new HashSet<>();
        for (JsonNode item : todo.path("items")) {
            String cell = item.path("caseId").asString() + "|" + item.path("districtCode").asString();
            if (item.path("deadline").asString().equals("OVERDUE")) {
                overdue.add(cell);
            }
            item.path("claims").forEach(c -> {
                if (c.path("review").asString().equals("RETURNED")) {
                    returned.add(cell + "|" + c.path("reason").asString());
                }
            });
            item.path("urges").forEach(u -> {
                if (!u.path("answered").asBoolean()) {
                    openUrges.add(cell + "|" + u.path("message").asString());
                }
            });
        }
        assertThat(cells(nov.path("overdue"), null)).isEqualTo(overdue).contains(C15 + "|" + FENGXIAN);
        assertThat(cells(nov.path("returnedClaims"), "reason")).isEqualTo(returned).contains(C19 + "|" + FENGXIAN + "|未附上线截图");
        Set<String> bulletinOpenUrges = new HashSet<>();
        nov.path("urges").forEach(u -> {
            if (!u.path("answered").asBoolean()) {
                bulletinOpenUrges.add(u.path("caseId").asString() + "|" + u.path("districtCode").asString() + "|" + u.path("message").asString());
            }
        });
        assertThat(bulletinOpenUrges).containsAll(openUrges.stream().filter(u -> u.startsWith(C15 + "|" + FENGXIAN)).toList())
                .contains(C15 + "|" + FENGXIAN + "|请说明未按期完成的原因");

        // The trend is November minus October, city-wide and per district.
        JsonNode trend = nov.path("trend");
        assertThat(trend.path("city").path("adopted").asInt())
                .isEqualTo(rollNov.path("cityWide").path("adoptedCells").asInt() - rollOct.path("cityWide").path("adoptedCells").asInt());
        assertThat(trend.path("city").path("verifiedLive").asInt())
                .isEqualTo(rollNov.path("cityWide").path("verifiedLiveCells").asInt() - rollOct.path("cityWide").path("verifiedLiveCells").asInt());
        assertThat(trend.path("city").path("red").asInt())
                .isEqualTo(rollNov.path("cityWide").path("redCells").asInt() - rollOct.path("cityWide").path("redCells").asInt());
        for (JsonNode d : trend.path("districts")) {
            String code = d.path("districtCode").asString();
            JsonNode now = byCode(rollNov.path("ranking"), code);
            JsonNode before = byCode(rollOct.path("ranking"), code);
            assertThat(d.path("delta").path("adopted").asInt()).as(code).isEqualTo(now.path("adopted").asInt() - before.path("adopted").asInt());
            assertThat(d.path("delta").path("live").asInt()).as(code).isEqualTo(now.path("live").asInt() - before.path("live").asInt());
            assertThat(d.path("delta").path("verifiedLive").asInt()).as(code)
                    .isEqualTo(now.path("verifiedLive").asInt() - before.path("verifiedLive").asInt());
            assertThat(d.path("rankChange").asInt()).as(code).isEqualTo(before.path("rank").asInt() - now.path("rank").asInt());
            if (!now.path("adoptionRate").isNull() && !before.path("adoptionRate").isNull()) {
                assertThat(d.path("delta").path("adoptionRate").asDouble()).as(code).isCloseTo(
                        now.path("adoptionRate").asDouble() - before.path("adoptionRate").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
        assertThat(byCode(trend.path("districts"), QINGPU).path("delta").path("adopted").asInt()).isEqualTo(1);
        assertThat(byCode(trend.path("districts"), QINGPU).path("delta").path("verifiedLive").asInt()).isEqualTo(1);
        // Every score is shown with its breakdown.
        assertThat(nov.path("scores").size()).isEqualTo(rollNov.path("ranking").size());
        assertThat(byCode(nov.path("scores"), QINGPU).path("formulaZh").asString()).contains("核实上线率");

        // Nobody but the city office issues; nothing is written when refused.
        assertThat(post("/api/v1/bulletins", null, "{\"batch\":\"SH-2023\",\"period\":\"2026-11\"}").statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/bulletins", DISTRICT, "{\"batch\":\"SH-2023\",\"period\":\"2026-11\"}").statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/bulletins/SH-2023/2026-11").size()).isZero();
        HttpResponse<String> bad = post("/api/v1/bulletins", CITY, "{\"period\":\"2026-13\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("errors").findValuesAsString("field")).contains("batch", "period");

        // The schedule fires on two instances at once: one bulletin.
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<List<IssuedBulletin>>> firings = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            firings.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return schedule.issueDue(at("2026-12-01T00:10"));
            }));
        }
        int written = 0;
        for (CompletableFuture<List<IssuedBulletin>> f : firings) {
            written += f.get().size();
        }
        assertThat(written).as("bulletins the two firings wrote").isEqualTo(1);
        JsonNode versions = get("/api/v1/bulletins/SH-2023/2026-11");
        assertThat(versions.size()).isEqualTo(1);
        assertThat(versions.path(0).path("scheduled").asBoolean()).isTrue();
        assertThat(versions.path(0).path("version").asInt()).isEqualTo(1);
        assertThat(schedule.issueDue(at("2026-12-01T00:20"))).as("a later firing writes nothing").isEmpty();

        // A re-issue needs a reason; with one it is version 2, and version 1 stays readable as issued.
        HttpResponse<String> noReason = post("/api/v1/bulletins", CITY, "{\"batch\":\"SH-2023\",\"period\":\"2026-11\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason");
        HttpResponse<String> reissued = post("/api/v1/bulletins", CITY,
                "{\"batch\":\"SH-2023\",\"period\":\"2026-11\",\"reason\":\"更正奉贤区逾期事项\"}");
        assertThat(reissued.statusCode()).as(reissued.body()).isEqualTo(201);
        assertThat(JSON.readTree(reissued.body()).path("version").asInt()).isEqualTo(2);
        versions = get("/api/v1/bulletins/SH-2023/2026-11");
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.path(1).path("reason").asString()).isEqualTo("更正奉贤区逾期事项");
        assertThat(versions.path(1).path("issuedBy").asString()).isEqualTo("city-office-bulletins");
        JsonNode v1 = get("/api/v1/bulletins/SH-2023/2026-11/versions/1");
        assertThat(v1.path("bulletin").path("districts")).isEqualTo(nov.path("districts"));
        assertThat(v1.path("bulletin").path("city")).isEqualTo(nov.path("city"));
        assertThat(get("/api/v1/bulletins/SH-2023/2026-11/versions/2").path("issued").path("reason").asString()).isEqualTo("更正奉贤区逾期事项");

        // Both files of a version download.
        HttpResponse<byte[]> pdf = bytes("/api/v1/bulletins/SH-2023/2026-11/versions/2/bulletin.pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            assertThat(new PDFTextStripper().getText(doc)).contains("青浦区", "奉贤区", "更正奉贤区逾期事项");
        }
        HttpResponse<byte[]> xlsx = bytes("/api/v1/bulletins/SH-2023/2026-11/versions/2/bulletin.xlsx");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(xlsx.headers().firstValue("Content-Disposition").orElseThrow()).contains(".xlsx");

        // Each issue is announced once to every district and to the city office.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Notification> notices = CommittedRecords.of(Topics.NOTIFICATIONS).stream().map(r -> r.value())
                    .filter(n -> n.getKind() == NotificationKind.BULLETIN_ISSUED && "SH-2023".equals(n.getCaseId())
                            && n.getCauseEventId() != null && n.getCauseEventId().startsWith("SH-2023|2026-11|")).toList();
            assertThat(notices).hasSize(2 * (rollNov.path("ranking").size() + 1));
            assertThat(notices).extracting(Notification::getNotificationId).doesNotHaveDuplicates();
        });
        assertThat(CommittedRecords.of(Topics.BULLETINS).stream().filter(r -> r.key().startsWith("SH-2023|2026-11|")).count())
                .as("bulletin records on the topic").isEqualTo(2);
    }

    private static OutcomeReported outcome(String eventId, String caseId, String district, java.time.Instant at, String metricId,
                                           String period, double value) {
        return OutcomeReported.newBuilder().setEnvelope(envelope(eventId, caseId, district, at)).setMetricId(metricId)
                .setValue(value).setUnit("项").setPeriod(period).build();
    }

    private static void assertSameRates(JsonNode bulletin, JsonNode rollup, String adoptionRateName, String eligible, String adopted,
                                        String live, String verified, String red, String overdue) {
        assertThat(bulletin.path("eligible").asInt()).isEqualTo(rollup.path(eligible).asInt());
        assertThat(bulletin.path("adopted").asInt()).isEqualTo(rollup.path(adopted).asInt());
        assertThat(bulletin.path("live").asInt()).isEqualTo(rollup.path(live).asInt());
        assertThat(bulletin.path("verifiedLive").asInt()).isEqualTo(rollup.path(verified).asInt());
        assertThat(bulletin.path("red").asInt()).isEqualTo(rollup.path(red).asInt());
        assertThat(bulletin.path("overdue").asInt()).isEqualTo(rollup.path(overdue).asInt());
        assertThat(bulletin.path("adoptionRate")).isEqualTo(rollup.path(adoptionRateName));
        assertThat(bulletin.path("liveRate")).isEqualTo(rollup.path("liveRate"));
        assertThat(bulletin.path("verifiedLiveRate")).isEqualTo(rollup.path("verifiedLiveRate"));
    }

    private static Set<String> cells(JsonNode items, String extra) {
        Set<String> out = new HashSet<>();
        items.forEach(i -> out.add(i.path("caseId").asString() + "|" + i.path("districtCode").asString()
                + (extra == null ? "" : "|" + i.path(extra).asString())));
        return out;
    }

    private static JsonNode district(JsonNode bulletin, String code) {
        return byCode(bulletin.path("districts"), code);
    }

    private static JsonNode byCode(JsonNode list, String code) {
        for (JsonNode n : list) {
            if (n.path("districtCode").asString().equals(code)) {
                return n;
            }
        }
        throw new AssertionError("no " + code + " in " + list);
    }

    private HttpResponse<String> post(String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> bytes(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
