package sh.reform.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.shared.testing.TestPlatform.assertStatus;
import static sh.reform.shared.testing.TestPlatform.cityOfficeToken;
import static sh.reform.shared.testing.TestPlatform.districtToken;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.common.ReportSource;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.ReviewVerdict;
import sh.reform.schema.supervision.Urged;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The supervision endpoints against a real broker and a real registry: what lands on reform.supervision, and what never does. */
class SupervisionServiceTest extends SupervisionApiTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String JINSHAN = districtToken("310116");
    static final String CITY = cityOfficeToken();
    static final String AT = "\"occurredAt\": \"2026-11-20T10:00:00+08:00\"";

    static String id() {
        return UUID.randomUUID().toString();
    }

    /** Posts, expects 202 and exactly one new record, and returns that record. */
    Decoded accepted(String path, String token, String body) throws Exception {
        ready();
        long before = published();
        HttpResponse<String> r = post(path, token, body);
        assertStatus(r, 202);
        JsonNode a = JSON.readTree(r.body());
        assertThat(a.path("topic").asString()).isEqualTo(TOPIC);
        assertThat(published()).isEqualTo(before + 1);
        Decoded d = recordAt(a.path("partition").asInt(), a.path("offset").asLong());
        assertThat(d.event().getEnvelope().getEventId()).isEqualTo(a.path("eventId").asString());
        return d;
    }

    @Test
    void theCityOfficeAssignsAMeasureWithADueDateAndNote() throws Exception {
        String id = id();
        Decoded d = accepted("/assignments", CITY, """
                {"eventId": "%s", "caseId": "SH-2023-03", "districtCode": "310116", "measureId": "SH-2023-03-M1",
                 "dueDate": "2027-03-31", "note": "请倒排计划", %s}""".formatted(id, AT));
        assertThat(d.key()).isEqualTo("SH-2023-03|310116");
        Assigned a = (Assigned) d.event().getAction();
        assertThat(a.getMeasureId()).isEqualTo("SH-2023-03-M1");
        assertThat(a.getDueDate()).isEqualTo(LocalDate.of(2027, 3, 31));
        assertThat(d.event().getEnvelope().getNote()).isEqualTo("请倒排计划");
        assertThat(d.event().getEnvelope().getReporter().getRole()).isEqualTo(ReporterRole.CITY_OFFICE);
        assertThat(d.event().getEnvelope().getSource()).isEqualTo(ReportSource.MANUAL_ENTRY);
        assertThat(d.event().getEnvelope().getOccurredAt()).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
    }

    @Test
    void theDistrictAcknowledgesWithItsLeadAgencyAndContactThroughItsChannel() throws Exception {
        Decoded d = accepted("/acknowledgements", JINSHAN, """
                {"caseId": "SH-2023-03", "districtCode": "310116", "leadAgency": "金山区发展改革委", "contactName": "王敏",
                 "contactPhone": "021-57921234", "source": "ONE_NETWORK_SERVICES", %s}""".formatted(AT));
        assertThat(d.key()).isEqualTo("SH-2023-03|310116");
        Acknowledged a = (Acknowledged) d.event().getAction();
        assertThat(a.getLeadAgency()).isEqualTo("金山区发展改革委");
        assertThat(a.getContactName()).isEqualTo("王敏");
        assertThat(a.getContactPhone()).isEqualTo("021-57921234");
        assertThat(d.event().getEnvelope().getSource()).isEqualTo(ReportSource.ONE_NETWORK_SERVICES);
        assertThat(d.event().getEnvelope().getReporter().getPrincipal()).isEqualTo("district-310116");
    }

    @Test
    void anUrgeWithoutOccurredAtHappensNowAndIsAddressedToTheClerkByDefault() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String replyBy = LocalDate.now(sh.reform.shared.reporting.ReportFields.SHANGHAI).plusDays(7).toString();
        Decoded d = accepted("/urges", CITY, """
                {"caseId": "SH-2023-03", "districtCode": "310116", "message": "请说明举措上线进度", "replyBy": "%s",
                 "measureId": "SH-2023-03-M1"}""".formatted(replyBy));
        Urged u = (Urged) d.event().getAction();
        assertThat(u.getLevel()).isEqualTo(EscalationLevel.DISTRICT_CLERK);
        assertThat(u.getMessage()).isEqualTo("请说明举措上线进度");
        assertThat(u.getReplyBy()).isEqualTo(LocalDate.parse(replyBy));
        assertThat(d.event().getEnvelope().getOccurredAt()).isAfter(before).isEqualTo(d.event().getEnvelope().getRecordedAt());
    }

    @Test
    void theDistrictRespondsToAnUrge() throws Exception {
        String urge = id();
        Decoded d = accepted("/responses", JINSHAN, """
                {"caseId": "SH-2023-03", "districtCode": "310116", "urgeEventId": "%s", "done": "已完成试点楼宇遴选",
                 "blockers": "系统对接待市大数据中心排期", "proposedDate": "2027-05-31", %s}""".formatted(urge, AT));
        Responded r = (Responded) d.event().getAction();
        assertThat(r.getUrgeEventId()).isEqualTo(urge);
        assertThat(r.getDone()).isEqualTo("已完成试点楼宇遴选");
        assertThat(r.getBlockers()).isEqualTo("系统对接待市大数据中心排期");
        assertThat(r.getProposedDate()).isEqualTo(LocalDate.of(2027, 5, 31));
    }

    @Test
    void theCityOfficeReturnsAClaimWithAReasonAndAcceptsAnotherWithout() throws Exception {
        String claim = id();
        Decoded returned = accepted("/reviews", CITY, """
                {"caseId": "SH-2023-03", "districtCode": "310116", "claimEventId": "%s", "claimKind": "MEASURE_STAGE",
                 "verdict": "RETURNED", "reason": "未附上线截图", %s}""".formatted(claim, AT));
        ClaimReviewed c = (ClaimReviewed) returned.event().getAction();
        assertThat(c.getClaimEventId()).isEqualTo(claim);
        assertThat(c.getClaimKind()).isEqualTo(ClaimKind.MEASURE_STAGE);
        assertThat(c.getVerdict()).isEqualTo(ReviewVerdict.RETURNED);
        assertThat(c.getReason()).isEqualTo("未附上线截图");
        Decoded accepted = accepted("/reviews", CITY, """
                {"caseId": "SH-2023-03", "districtCode": "310116", "claimEventId": "%s", "claimKind": "outcome",
                 "verdict": "accepted", %s}""".formatted(id(), AT));
        assertThat(((ClaimReviewed) accepted.event().getAction()).getVerdict()).isEqualTo(ReviewVerdict.ACCEPTED);
        assertThat(((ClaimReviewed) accepted.event().getAction()).getReason()).isNull();
    }

    @Test
    void aBatchAssignsEachCellWithTheBatchDueDateUnlessTheCellOverridesIt() throws Exception {
        ready();
        String body = """
                {"dueDate": "2027-06-30", "note": "2023 年第一批", %s, "cells": [
                  {"caseId": "SH-2023-04", "districtCode": "310116"},
                  {"caseId": "SH-2023-04", "districtCode": "310117", "dueDate": "2027-09-30"},
                  {"caseId": "SH-2023-03", "districtCode": "310113", "measureId": "SH-2023-03-M1"}]}""".formatted(AT);
        Map<String, String> key = Map.of("Idempotency-Key", "batch-" + id());
        long before = published();
        HttpResponse<String> r = post("/assignments/batch", CITY, body, key);
        assertStatus(r, 202);
        JsonNode a = JSON.readTree(r.body());
        assertThat(a.path("count").asInt()).isEqualTo(3);
        assertThat(published()).isEqualTo(before + 3);
        List<Decoded> cells = a.path("receipts").valueStream()
                .map(x -> recordAt(x.path("partition").asInt(), x.path("offset").asLong())).toList();
        assertThat(cells).extracting(Decoded::key).containsExactly("SH-2023-04|310116", "SH-2023-04|310117", "SH-2023-03|310113");
        assertThat(cells).extracting(c -> ((Assigned) c.event().getAction()).getDueDate())
                .containsExactly(LocalDate.of(2027, 6, 30), LocalDate.of(2027, 9, 30), LocalDate.of(2027, 6, 30));
        assertThat(((Assigned) cells.get(2).event().getAction()).getMeasureId()).isEqualTo("SH-2023-03-M1");
        assertThat(cells).allSatisfy(c -> assertThat(c.event().getEnvelope().getNote()).isEqualTo("2023 年第一批"));

        // The same batch again (same key): the same answer, nothing new on the topic.
        HttpResponse<String> again = post("/assignments/batch", CITY, body, key);
        assertStatus(again, 202);
        JsonNode replay = JSON.readTree(again.body());
        assertThat(replay.path("receipts")).isEqualTo(a.path("receipts"));
        assertThat(replay.path("duplicates").asInt()).isEqualTo(3);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(published()).isEqualTo(before + 3);
    }

    @Test
    void aBatchWithOneBadCellPublishesNothingAndNamesTheCellOrTheBatchDefault() throws Exception {
        ready();
        long before = published();
        HttpResponse<String> r = post("/assignments/batch", CITY, """
                {"dueDate": "2026-01-01", %s, "cells": [
                  {"caseId": "SH-2023-05", "districtCode": "310116", "dueDate": "2027-01-31"},
                  {"caseId": "SH-2023-05", "districtCode": "310117"},
                  {"caseId": "SH-2023-05", "districtCode": "310118", "measureId": "SH-2023-01-M1", "dueDate": "2027-01-31"}]}""".formatted(AT));
        assertStatus(r, 400);
        List<String> fields = JSON.readTree(r.body()).path("errors").valueStream().map(e -> e.path("field").asString()).toList();
        assertThat(fields).containsExactlyInAnyOrder("dueDate", "cells[2].measureId");
        assertThat(published()).isEqualTo(before);
        assertStatus(post("/assignments/batch", CITY, "{\"dueDate\": \"2027-01-31\", \"cells\": []}"), 400);
        assertStatus(post("/assignments/batch", CITY, "[{\"caseId\": \"SH-2023-05\"}]"), 400);
        assertThat(published()).isEqualTo(before);
    }

    static Stream<Arguments> repeats() {
        return Stream.of(
                Arguments.of("/assignments", CITY, "{\"eventId\": \"" + id() + "\", \"caseId\": \"SH-2023-06\", \"districtCode\": \"310116\", \"dueDate\": \"2027-06-30\", " + AT + "}", Map.of()),
                Arguments.of("/acknowledgements", JINSHAN, "{\"caseId\": \"SH-2023-06\", \"districtCode\": \"310116\", \"leadAgency\": \"金山区商务委\", \"contactName\": \"李强\"}",
                        Map.of("Idempotency-Key", "ack-" + id())),
                Arguments.of("/urges", CITY, "{\"eventId\": \"" + id() + "\", \"caseId\": \"SH-2023-06\", \"districtCode\": \"310116\", \"message\": \"请反馈\", \"replyBy\": \"2027-01-10\", \"level\": \"DISTRICT_LEADERSHIP\", " + AT + "}", Map.of()),
                Arguments.of("/responses", JINSHAN, "{\"caseId\": \"SH-2023-06\", \"districtCode\": \"310116\", \"urgeEventId\": \"" + id() + "\", \"done\": \"已部署\"}",
                        Map.of("Idempotency-Key", id())),
                Arguments.of("/reviews", CITY, "{\"eventId\": \"" + id() + "\", \"caseId\": \"SH-2023-06\", \"districtCode\": \"310116\", \"claimEventId\": \"" + id() + "\", \"claimKind\": \"ADOPTION\", \"verdict\": \"ACCEPTED\", " + AT + "}", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeats")
    void repeatingARequestAnswersTheSameAndPublishesOneRecord(String path, String token, String body, Map<String, String> headers) throws Exception {
        ready();
        long before = published();
        HttpResponse<String> first = post(path, token, body, headers);
        assertStatus(first, 202);
        HttpResponse<String> again = post(path, token, body, headers);
        assertStatus(again, 202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(published()).isEqualTo(before + 1);
    }

    @Test
    void theSameEventIdAtAnotherStepIsAConflict() throws Exception {
        ready();
        String id = id();
        assertStatus(post("/urges", CITY, "{\"eventId\": \"" + id + "\", \"caseId\": \"SH-2023-07\", \"districtCode\": \"310116\", \"message\": \"请反馈\", \"replyBy\": \"2027-01-10\", " + AT + "}"), 202);
        long before = published();
        assertStatus(post("/assignments", CITY, "{\"eventId\": \"" + id + "\", \"caseId\": \"SH-2023-07\", \"districtCode\": \"310116\", \"dueDate\": \"2027-01-10\", " + AT + "}"), 409);
        assertThat(published()).isEqualTo(before);
    }

    static String ok(String path) {
        return switch (path) {
            case "/assignments" -> "{\"caseId\": \"SH-2023-08\", \"districtCode\": \"310116\", \"measureId\": \"SH-2023-08-M1\", \"dueDate\": \"2027-06-30\", " + AT + "}";
            case "/acknowledgements" -> "{\"caseId\": \"SH-2023-08\", \"districtCode\": \"310116\", \"leadAgency\": \"金山区商务委\", \"contactName\": \"李强\", \"contactPhone\": \"021-1234\", " + AT + "}";
            case "/urges" -> "{\"caseId\": \"SH-2023-08\", \"districtCode\": \"310116\", \"message\": \"请反馈\", \"replyBy\": \"2027-01-10\", \"level\": \"DISTRICT_CLERK\", " + AT + "}";
            case "/responses" -> "{\"caseId\": \"SH-2023-08\", \"districtCode\": \"310116\", \"urgeEventId\": \"" + UUID.randomUUID() + "\", \"done\": \"已部署\", \"proposedDate\": \"2027-02-01\", " + AT + "}";
            case "/reviews" -> "{\"caseId\": \"SH-2023-08\", \"districtCode\": \"310116\", \"claimEventId\": \"" + UUID.randomUUID() + "\", \"claimKind\": \"OUTCOME\", \"verdict\": \"RETURNED\", \"reason\": \"口径不符\", " + AT + "}";
            default -> throw new IllegalArgumentException(path);
        };
    }

    static Arguments bad(String what, String path, String body, String field, String code) {
        return Arguments.of(what, path, body, field, code);
    }

    static Stream<Arguments> badInput() {
        String a = ok("/assignments");
        String k = ok("/acknowledgements");
        String u = ok("/urges");
        String r = ok("/responses");
        String v = ok("/reviews");
        return Stream.of(
                bad("assignment: missing case", "/assignments", a.replace("\"caseId\": \"SH-2023-08\", ", ""), "caseId", "required"),
                bad("assignment: unknown case", "/assignments", a.replace("SH-2023-08\"", "SH-2023-99\""), "caseId", "unknown-case"),
                bad("assignment: unknown district", "/assignments", a.replace("310116", "319999"), "districtCode", "unknown-district"),
                bad("assignment: origin district of the case", "/assignments", a.replace("SH-2023-08", "SH-2023-10"), "districtCode", "origin-district"),
                bad("assignment: measure of another case", "/assignments", a.replace("SH-2023-08-M1", "SH-2023-01-M1"), "measureId", "unknown-measure"),
                bad("assignment: missing due date", "/assignments", a.replace("\"dueDate\": \"2027-06-30\", ", ""), "dueDate", "required"),
                bad("assignment: malformed due date", "/assignments", a.replace("2027-06-30", "30/06/2027"), "dueDate", "format"),
                bad("assignment: due before the day it was given", "/assignments", a.replace("2027-06-30", "2026-11-19"), "dueDate", "before-occurred"),
                bad("assignment: malformed occurred-at", "/assignments", a.replace("2026-11-20T10:00:00+08:00", "yesterday"), "occurredAt", "format"),
                bad("assignment: event id not a UUID", "/assignments", a.replace("{", "{\"eventId\": \"x-1\", "), "eventId", "format"),
                bad("assignment: note too long", "/assignments", a.replace("{", "{\"note\": \"" + "长".repeat(2001) + "\", "), "note", "too-long"),
                bad("assignment: unknown source", "/assignments", a.replace("{", "{\"source\": \"FAX\", "), "source", "unknown-value"),
                bad("acknowledgement: missing lead agency", "/acknowledgements", k.replace("\"leadAgency\": \"金山区商务委\", ", ""), "leadAgency", "required"),
                bad("acknowledgement: missing contact", "/acknowledgements", k.replace("\"contactName\": \"李强\", ", ""), "contactName", "required"),
                bad("acknowledgement: phone with letters", "/acknowledgements", k.replace("021-1234", "call me"), "contactPhone", "format"),
                bad("acknowledgement: lead agency too long", "/acknowledgements", k.replace("金山区商务委", "委".repeat(101)), "leadAgency", "too-long"),
                bad("urge: missing message", "/urges", u.replace("\"message\": \"请反馈\", ", ""), "message", "required"),
                bad("urge: message over 500 characters", "/urges", u.replace("请反馈", "催".repeat(501)), "message", "too-long"),
                bad("urge: reply-by before the day of the urge", "/urges", u.replace("2027-01-10", "2026-11-01"), "replyBy", "before-occurred"),
                bad("urge: unknown level", "/urges", u.replace("DISTRICT_CLERK", "MAYOR"), "level", "unknown-value"),
                bad("urge: level is a number", "/urges", u.replace("\"DISTRICT_CLERK\"", "3"), "level", "unknown-value"),
                bad("response: urge id not a UUID", "/responses", r.replaceAll("\"urgeEventId\": \"[^\"]+\"", "\"urgeEventId\": \"urge-1\""), "urgeEventId", "format"),
                bad("response: missing what was done", "/responses", r.replace("\"done\": \"已部署\", ", ""), "done", "required"),
                bad("response: proposed date before the response", "/responses", r.replace("2027-02-01", "2020-01-01"), "proposedDate", "before-occurred"),
                bad("response: done is an object", "/responses", r.replace("\"已部署\"", "{\"a\": 1}"), "done", "type"),
                bad("review: returned without a reason", "/reviews", v.replace(", \"reason\": \"口径不符\"", ""), "reason", "required"),
                bad("review: unknown verdict", "/reviews", v.replace("RETURNED", "MAYBE"), "verdict", "unknown-value"),
                bad("review: unknown claim kind", "/reviews", v.replace("OUTCOME", "RUMOUR"), "claimKind", "unknown-value"),
                bad("review: missing claim", "/reviews", v.replaceAll("\"claimEventId\": \"[^\"]+\", ", ""), "claimEventId", "required"),
                bad("review: body is an array", "/reviews", "[]", "body", "type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputGets400NamingTheFieldInBothLanguagesAndPublishesNothing(String what, String path, String body, String field, String code) throws Exception {
        ready();
        long before = published();
        String token = path.equals("/acknowledgements") || path.equals("/responses") ? JINSHAN : CITY;
        HttpResponse<String> zh = post(path, token, body);
        assertStatus(zh, 400);
        assertThat(zh.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode p = JSON.readTree(zh.body());
        JsonNode error = p.path("errors").valueStream().filter(e -> e.path("field").asString().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + field + " in " + zh.body()));
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("messageZh").asString()).isNotBlank().matches(".*[\\u4e00-\\u9fa5].*");
        assertThat(error.path("messageEn").asString()).isNotBlank().doesNotContainPattern("[\\u4e00-\\u9fa5]");
        assertThat(error.path("message").asString()).isEqualTo(error.path("messageZh").asString());
        if (code.equals("unknown-value")) {
            assertThat(error.path("messageEn").asString()).as("the allowed values are listed").containsPattern("[A-Z_]{4,}, [A-Z_]{4,}");
        }

        HttpResponse<String> en = post(path, token, body, Map.of("Accept-Language", "en"));
        assertStatus(en, 400);
        JsonNode pe = JSON.readTree(en.body());
        assertThat(pe.path("title").asString()).isEqualTo(pe.path("titleEn").asString());
        assertThat(pe.path("errors").valueStream().filter(e -> e.path("field").asString().equals(field)).findFirst().orElseThrow()
                .path("message").asString()).isEqualTo(error.path("messageEn").asString());
        assertThat(published()).isEqualTo(before);
    }

    @Test
    void openApiListsEveryStepAndNoImport() throws Exception {
        HttpResponse<String> doc = sh.reform.shared.testing.TestPlatform.send(port, "GET", "/v3/api-docs", null, null, Map.of());
        assertStatus(doc, 200);
        JsonNode paths = JSON.readTree(doc.body()).path("paths");
        for (String p : List.of("assignments", "assignments/batch", "acknowledgements", "urges", "responses", "reviews")) {
            assertThat(paths.has("/api/v1/supervision/" + p)).as(p).isTrue();
        }
        assertThat(paths.propertyNames()).noneMatch(p -> p.contains("import"));
        assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(5))).isTrue();
    }
}
