package sh.reform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sh.reform.status.RealInfraFixture.report;
import static sh.reform.status.Reported.adoption;
import static sh.reform.status.Reported.at;
import static sh.reform.status.Reported.outcome;
import static sh.reform.status.Reported.rollout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.CatalogView;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.StatusFold;
import sh.reform.status.query.AsOfReplay;
import tools.jackson.databind.JsonNode;

/** The service end to end: reports on the real broker, answers from the query API and the stream. */
class ReplicationStatusServiceTest extends ServiceOnRealInfra {

    static final StatusFold FOLD = new StatusFold(CatalogView.of(RealInfraFixture.SEED_CASES), HealthRules.defaults());

    @Autowired
    AsOfReplay replay;
    @Autowired
    sh.reform.status.query.CellStatusSource cells;
    @Autowired
    HealthRules healthRules;
    @Autowired
    sh.reform.status.fold.SupervisionRules supervisionRules;

    @Test
    void reportedEventsShowInTheQueryApiWithinSeconds() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String c = "SH-2023-02";
        report(adoption("api-a1", c, "310104", now.minusSeconds(60), AdoptionDecision.ADOPTED, LocalDate.now().plusYears(1)));
        report(rollout("api-r1", c, "310104", now.minusSeconds(30), c + "-M1", RolloutStage.PILOT));
        report(adoption("api-a2", c, "310105", now.minusSeconds(20), AdoptionDecision.INTENDS, null));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(get("/api/v1/status/cells/" + c + "/310104").path("eventCount").asLong()).isEqualTo(2));
        JsonNode cell = get("/api/v1/status/cells/" + c + "/310104");
        assertThat(cell.path("stage").asString()).isEqualTo("ROLLING_OUT");
        assertThat(cell.path("districtNameZh").asString()).isEqualTo("徐汇区");
        assertThat(cell.path("health").path("colour").asString()).isEqualTo("GREEN");
        assertThat(cell.path("lastReportAt").asString()).endsWith("+08:00");
        assertThat(cell.path("history").size()).isGreaterThanOrEqualTo(3);
        assertThat(cell.path("measures").get(0).path("nameZh").asString()).isNotBlank();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/status/cells/" + c + "/310105").path("stage").asString()).isEqualTo("PLANNED"));

        JsonNode matrix = get("/api/v1/status/matrix?batch=SH-2023");
        assertThat(matrix.path("districts").size()).isEqualTo(16);
        assertThat(matrix.path("cases").size()).isEqualTo(20);
        JsonNode row = matrix.path("cases").valueStream().filter(r -> r.path("caseId").asString().equals(c)).findFirst().orElseThrow();
        assertThat(row.path("cells").size()).isEqualTo(16);
        JsonNode xuhui = row.path("cells").valueStream().filter(x -> x.path("districtCode").asString().equals("310104"))
                .findFirst().orElseThrow();
        assertThat(xuhui.path("stage").asString()).isEqualTo("ROLLING_OUT");
        assertThat(xuhui.path("measuresPlanned").asInt()).isPositive();
        assertThat(matrix.path("paging").path("totalCases").asInt()).isEqualTo(20);
        assertThat(matrix.path("paging").path("totalDistricts").asInt()).isEqualTo(16);

        // A page of the matrix: rows by rank, columns in reference order, narrowed to a parent code.
        JsonNode page = get("/api/v1/status/matrix?batch=SH-2023&parent=310000&page=1&size=6&districtPage=1&districtSize=5");
        assertThat(page.path("cases").valueStream().map(r -> r.path("rank").asInt()).toList()).containsExactly(7, 8, 9, 10, 11, 12);
        assertThat(page.path("districts").valueStream().map(d -> d.path("code").asString()).toList())
                .isEqualTo(matrix.path("districts").valueStream().map(d -> d.path("code").asString()).skip(5).limit(5).toList());
        assertThat(page.path("paging").path("parent").asString()).isEqualTo("310000");
        JsonNode pagedRow = page.path("cases").path(0);
        JsonNode wholeRow = matrix.path("cases").valueStream().filter(r -> r.path("caseId").equals(pagedRow.path("caseId"))).findFirst().orElseThrow();
        assertThat(pagedRow.path("cells")).isEqualTo(JSON.valueToTree(wholeRow.path("cells").valueStream().skip(5).limit(5).toList()));
        HttpResponse<String> badPage = send("/api/v1/status/matrix?batch=SH-2023&page=-1&size=0&districtSize=501&parent=999999");
        assertThat(badPage.statusCode()).isEqualTo(400);
        assertThat(badPage.body()).contains("\"page\"", "\"size\"", "\"districtSize\"").doesNotContain("Internal");
        assertThat(send("/api/v1/status/matrix?batch=SH-2023&parent=999999").body()).contains("parent", "999999");

        JsonNode caseView = get("/api/v1/status/cases/" + c);
        assertThat(caseView.path("districts").size()).isEqualTo(16);
        assertThat(caseView.path("rollup").path("eligible").asInt()).isEqualTo(15);
        assertThat(caseView.path("rollup").path("adopting").asInt()).isEqualTo(1);

        JsonNode district = get("/api/v1/status/districts/310105");
        assertThat(district.path("reported").valueStream().map(x -> x.path("caseId").asString())).contains(c);
        assertThat(district.path("notYetAdopted").valueStream().map(x -> x.path("caseId").asString())).contains(c);
        assertThat(district.path("rollup").path("rank").asInt()).isBetween(1, 16);

        JsonNode rollups = get("/api/v1/status/rollups?batch=SH-2023");
        assertThat(rollups.path("cityWide").path("eligibleCells").asInt()).isEqualTo(20 * 15);
        assertThat(rollups.path("cityWide").path("adoptedCells").asInt()).isPositive();
        assertThat(rollups.path("ranking").size()).isEqualTo(16);
        assertThat(rollups.path("ranking").get(0).path("rank").asInt()).isEqualTo(1);
    }

    @Test
    void anAsOfQueryForAPastDateEqualsTheFoldOfTheEventsUpToThatDate() {
        String c = "SH-2023-05"; // a case no other test of this context reports on (SupervisionChainTest has SH-2023-03)
        List<SpecificRecord> jingan = List.of(
                adoption("asof-a1", c, "310106", at("2026-03-01"), AdoptionDecision.ADOPTED, LocalDate.parse("2026-12-31")),
                rollout("asof-r1", c, "310106", at("2026-05-10"), c + "-M1", RolloutStage.PILOT),
                rollout("asof-r2", c, "310106", at("2026-08-01"), c + "-M1", RolloutStage.LIVE),
                outcome("asof-o1", c, "310106", at("2026-09-10"), c + "-K1", "2026-08", 12));
        List<SpecificRecord> putuo = List.of(
                adoption("asof-a2", c, "310107", at("2026-07-15"), AdoptionDecision.ADOPTED, null));
        // Sent out of order: the as-of cut is by occurred-at.
        List<SpecificRecord> reversed = new ArrayList<>(jingan);
        java.util.Collections.reverse(reversed);
        Stream.concat(reversed.stream(), putuo.stream()).forEach(RealInfraFixture::report);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(get("/api/v1/status/cells/" + c + "/310106").path("eventCount").asLong()).isEqualTo(4);
            assertThat(get("/api/v1/status/cells/" + c + "/310107").path("eventCount").asLong()).isEqualTo(1);
        });

        Instant asOf = LocalDate.parse("2026-06-30").plusDays(1).atStartOfDay(HealthRules.SHANGHAI).toInstant().minusMillis(1);
        ReplicationStatus expected = FOLD.foldAll(c, "310106", jingan.subList(0, 2), asOf).toStatus();

        JsonNode then = get("/api/v1/status/cells/" + c + "/310106?asOf=2026-06-30");
        assertThat(then.path("asOf").asString()).isEqualTo("2026-06-30T23:59:59.999+08:00");
        assertThat(then.path("stage").asString()).isEqualTo(expected.getOverallStage().name()).isEqualTo("ROLLING_OUT");
        assertThat(then.path("eventCount").asLong()).isEqualTo(expected.getEventCount()).isEqualTo(2);
        assertThat(then.path("health").path("colour").asString()).isEqualTo(expected.getHealth().name());
        assertThat(then.path("progress").path("measuresLive").asInt()).isEqualTo(expected.getMeasuresLive());
        assertThat(then.path("history").size()).isEqualTo(expected.getHistory().size());
        assertThat(then.path("metrics").size()).isZero();

        // The replay itself, record for record.
        Map<String, ReplicationStatus> replayed = replay.statuses(asOf, CatalogView.of(RealInfraFixture.SEED_CASES),
                AsOfReplay.Scope.cases(java.util.Set.of(c)));
        assertSame(replayed.get(Topic.cellKey(c, "310106")), expected);
        assertThat(replayed).doesNotContainKey(Topic.cellKey(c, "310107"));

        // The live status has everything; the case view as of then has one adopting district, now two.
        JsonNode now = get("/api/v1/status/cells/" + c + "/310106");
        assertThat(now.path("stage").asString()).isEqualTo(FOLD.foldAll(c, "310106", jingan, Instant.now()).toStatus()
                .getOverallStage().name());
        assertThat(now.path("metrics").size()).isEqualTo(1);
        assertThat(now.path("metrics").get(0).path("reportedAt").asString()).isEqualTo("2026-09-10T10:00:00+08:00");
        assertThat(get("/api/v1/status/cases/" + c + "?asOf=2026-06-30").path("rollup").path("adopting").asInt()).isEqualTo(1);
        assertThat(get("/api/v1/status/cases/" + c).path("rollup").path("adopting").asInt()).isEqualTo(2);
        JsonNode matrixThen = get("/api/v1/status/matrix?batch=SH-2023&asOf=2026-06-30T23:59:59.999%2B08:00");
        JsonNode row = matrixThen.path("cases").valueStream().filter(r -> r.path("caseId").asString().equals(c)).findFirst().orElseThrow();
        assertThat(row.path("cells").valueStream().filter(x -> x.path("districtCode").asString().equals("310106"))
                .findFirst().orElseThrow().path("stage").asString()).isEqualTo("ROLLING_OUT");

        // A report that arrives late about an earlier date re-derives the versions after it: as of then, the
        // second measure is now in pilot too, and every later as-of answer counts it.
        report(rollout("asof-r0", c, "310106", at("2026-04-01"), c + "-M2", RolloutStage.PILOT));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(get("/api/v1/status/cells/" + c + "/310106").path("eventCount").asLong()).isEqualTo(5));
        assertThat(get("/api/v1/status/cells/" + c + "/310106?asOf=2026-06-30").path("eventCount").asLong()).isEqualTo(3);
        // The history looked up (versioned store, IQv2), evaluated at T, against the replay, record for record.
        StatusFold evaluating = new StatusFold(CatalogView.of(RealInfraFixture.SEED_CASES), healthRules, supervisionRules);
        List<String> codes = List.of("310106", "310107", "310104");
        for (String cut : List.of("2026-02-28", "2026-03-01T10:00:00+08:00", "2026-04-01T09:59:59.999+08:00", "2026-04-01",
                "2026-06-30", "2026-07-15T10:00:00+08:00", "2026-08-31", "2026-10-01", "2026-11-20T15:00:00+08:00")) {
            Instant t = cut.length() == 10
                    ? LocalDate.parse(cut).plusDays(1).atStartOfDay(HealthRules.SHANGHAI).toInstant().minusMillis(1)
                    : java.time.OffsetDateTime.parse(cut).toInstant();
            Map<String, ReplicationStatus> replayedThen = replay.statuses(t, CatalogView.of(RealInfraFixture.SEED_CASES),
                    AsOfReplay.Scope.cases(java.util.Set.of(c)));
            Map<String, ReplicationStatus> lookedUp = new java.util.HashMap<>();
            for (ReplicationStatus v : cells.versionsAsOf(java.util.Set.of(c), codes, t)) {
                lookedUp.put(Topic.cellKey(v.getCaseId(), v.getDistrictCode()), evaluating.evaluateVersion(v, t));
            }
            assertThat(lookedUp.keySet()).as("cells as of %s", cut).isEqualTo(replayedThen.keySet());
            lookedUp.forEach((key, status) -> assertSame(status, replayedThen.get(key)));
        }
    }

    @Test
    void theStreamSendsStatusChangesAndAlertsAsServerSentEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/api/v1/status/stream")))
                .header("Accept", "text/event-stream").GET().build();
        var response = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> r.body().forEach(lines::add));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith(":")));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            // The topology may still be starting: report until a change for this cell comes through.
            if (lines.stream().noneMatch(l -> l.contains("SH-2023-04"))) {
                report(adoption("sse-a1", "SH-2023-04", "310109", Instant.now().minusSeconds(5), AdoptionDecision.ADOPTED, null));
            }
            assertThat(lines).anyMatch(l -> l.equals("event:status"));
            assertThat(lines).anyMatch(l -> l.startsWith("id:status-"));
            assertThat(lines).anyMatch(l -> l.startsWith("data:") && l.contains("\"caseId\":\"SH-2023-04\"")
                    && l.contains("\"stage\":\"ADOPTED\""));
            assertThat(lines).anyMatch(l -> l.equals("event:alert"));
            assertThat(lines).anyMatch(l -> l.startsWith("data:") && l.contains("\"previousHealth\":\"UNKNOWN\""));
        });
        response.cancel(true);
    }

    @Test
    void unknownCasesAndDistrictsAreNotFoundAndAMalformedAsOfIsRefused() {
        await().atMost(Duration.ofSeconds(60)).until(() -> send("/api/v1/status/cases/SH-1999-01").statusCode() != 503);
        HttpResponse<String> unknownCase = send("/api/v1/status/cases/SH-1999-01");
        assertThat(unknownCase.statusCode()).isEqualTo(404);
        assertThat(unknownCase.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(send("/api/v1/status/districts/999999").statusCode()).isEqualTo(404);
        assertThat(send("/api/v1/status/matrix?batch=SH-1999").statusCode()).isEqualTo(404);
        HttpResponse<String> badAsOf = send("/api/v1/status/rollups?asOf=yesterday");
        assertThat(badAsOf.statusCode()).isEqualTo(400);
        assertThat(badAsOf.body()).contains("asOf");
        // A cell nobody reported on is the truth "not started", not an error.
        assertThat(get("/api/v1/status/cells/SH-2023-20/310151").path("stage").asString()).isEqualTo("NOT_STARTED");
    }

    @Test
    void poisonOnTheRealBrokerIsDeadLetteredAndCountedAndTheServiceIsHealthyAndDocumented() {
        RealInfraFixture.send(Topics.MEASURE_ROLLOUT.name(), "SH-2023-05|310110".getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8));
        report(rollout("poison-after", "SH-2023-05", "310110", Instant.now().minusSeconds(5), "SH-2023-05-M1", RolloutStage.PILOT));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(get("/api/v1/status/cells/SH-2023-05/310110").path("eventCount").asLong()).isEqualTo(1));
        String prometheus = send("/actuator/prometheus").body();
        assertThat(prometheus).contains("reform_status_dead_lettered_total{reason=\"unreadable\",topic=\"reform.measure-rollout\"}");
        assertThat(prometheus).contains("reform_status_records_total");
        assertThat(prometheus).contains("kafka_stream");
        assertThat(prometheus).as("consumer lag of the stream threads").contains("records_lag");
        JsonNode api = get("/v3/api-docs");
        assertThat(api.path("paths").propertyNames()).contains("/api/v1/status/matrix", "/api/v1/status/cases/{caseId}",
                "/api/v1/status/districts/{code}", "/api/v1/status/cells/{caseId}/{district}", "/api/v1/status/rollups",
                "/api/v1/status/stream");
        JsonNode health = get("/actuator/health");
        assertThat(health.path("components").path("kafkaStreams").path("status").asString()).isEqualTo("UP");
    }

    /**
     * Freshness: each event produced (acks=all) until the query API shows it. The figures are written to
     * target/freshness.txt; the test holds them to generous bounds so a busy machine does not fail it.
     */
    @Test
    void eventsAreVisibleInTheQueryApiWellWithinASecond() throws IOException {
        String c = "SH-2023-10";
        List<String> districts = List.of("310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
                "310113", "310114");
        // Warm up: the topology is running once the first cell shows.
        report(adoption("fresh-warm", c, "310151", Instant.now().minusSeconds(5), AdoptionDecision.INTENDS, null));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(get("/api/v1/status/cells/" + c + "/310151").path("eventCount").asLong()).isEqualTo(1));

        int events = 200;
        long[] counts = new long[districts.size()];
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            int d = i % districts.size();
            Instant when = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
            SpecificRecord e = i < districts.size()
                    ? adoption("fresh-" + i, c, districts.get(d), when, AdoptionDecision.ADOPTED, null)
                    : outcome("fresh-" + i, c, districts.get(d), when, c + "-K1", "2026-P" + i, i);
            long start = System.nanoTime();
            report(e);
            counts[d]++;
            String path = "/api/v1/status/cells/" + c + "/" + districts.get(d);
            while (get(path).path("eventCount").asLong() < counts[d]) {
                if (System.nanoTime() - start > Duration.ofSeconds(10).toNanos()) {
                    throw new AssertionError("event " + i + " not visible within 10 s");
                }
            }
            micros.add((System.nanoTime() - start) / 1000);
        }
        List<Long> sorted = micros.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        String figures = "freshness over " + events + " events (produced with acks=all -> visible in GET /api/v1/status/cells):"
                + " p50=" + p50 / 1000.0 + " ms, p99=" + p99 / 1000.0 + " ms, max=" + sorted.get(sorted.size() - 1) / 1000.0 + " ms";
        System.out.println(figures);
        Files.writeString(Path.of("target", "freshness.txt"), figures + System.lineSeparator());
        assertThat(p50).as(figures).isLessThan(1_000_000);
        assertThat(p99).as(figures).isLessThan(3_000_000);
    }

    static void assertSame(ReplicationStatus actual, ReplicationStatus expected) {
        assertThat(actual).as("replayed status").isNotNull();
        try {
            assertThat(actual.toByteBuffer()).as("%s%nshould be%n%s", actual, expected).isEqualTo(expected.toByteBuffer());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
