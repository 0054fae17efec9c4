package sh.reform.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sh.reform.shared.testing.TestPlatform.assertStatus;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import sh.reform.local.infra.RealInfra;
import sh.reform.notify.mail.SmtpMailer;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The notification service against a real Kafka broker, a real schema registry and a real SMTP server
 * (GreenMail, in this JVM): notifications published as the status fold publishes them (transactional
 * producer) reach the inbox of the right principals and their mailboxes, once each.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reform.notifications.mail.send-every=200ms",
        "reform.notifications.mail.backoff-base=300ms",
        "reform.notifications.mail.backoff-max=2s",
        "spring.kafka.streams.properties.commit.interval.ms=100"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationServiceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int SMTP_PORT = freePort();
    static volatile GreenMail smtp = startSmtp();
    static final Path STATE = tempDir();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestPlatform.kafkaProperties(r);
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", () -> SMTP_PORT);
        r.add("reform.notifications.state-dir", STATE::toString);
    }

    static GreenMail startSmtp() {
        GreenMail g = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    @org.junit.jupiter.api.BeforeAll
    static void catalog() {
        TestPlatform.publishSeedCatalog();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    // ------------------------------------------------------------------ helpers

    static Notification notification(String id, String caseId, String district, Audience audience, NotificationKind kind) {
        return Notification.newBuilder().setNotificationId(id).setKind(kind).setCaseId(caseId).setDistrictCode(district)
                .setAudience(audience).setTitleZh("案例 " + caseId + " 临近办理期限").setTitleEn("Case " + caseId + " is due soon")
                .setBodyZh("距办理期限还有 7 天，请抓紧推进。").setBodyEn("7 days to the due date; please push on.")
                .setCreatedAt(Instant.now()).setCauseEventId(null).setDueDate(LocalDate.of(2026, 12, 1)).build();
    }

    /** Publishes as the fold does: each record in its own committed transaction. */
    static void publish(Notification... ns) {
        Map<String, Object> p = ProducerDefaults.avroProducer(TestPlatform.bootstrapServers(), RealInfra.registry().confluentApiUrl());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "notification-test-" + UUID.randomUUID());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        p.put("schema.registry.request.timeout.ms", 20_000);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            for (Notification n : ns) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.NOTIFICATIONS.name(), n.getCaseId() + "|" + n.getDistrictCode(), n));
                producer.commitTransaction();
            }
        }
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static List<MimeMessage> mailsOf(String notificationId) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return notificationId.equals(m.getHeader(SmtpMailer.NOTIFICATION_HEADER, null));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    static String recipient(MimeMessage m) throws Exception {
        return m.getRecipients(Message.RecipientType.TO)[0].toString();
    }

    HttpResponse<String> call(String method, String path, String token, String body) {
        return TestPlatform.send(port, method, path, token, body, Map.of());
    }

    JsonNode inbox(String token, String query) {
        HttpResponse<String> r = call("GET", "/api/v1/notifications" + query, token, null);
        assertStatus(r, 200);
        return JSON.readTree(r.body());
    }

    static boolean lists(JsonNode page, String id) {
        for (JsonNode i : page.path("items")) {
            if (i.path("notificationId").asString().equals(id)) {
                return true;
            }
        }
        return false;
    }

    static JsonNode itemOf(JsonNode page, String id) {
        for (JsonNode i : page.path("items")) {
            if (i.path("notificationId").asString().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no " + id + " in " + page);
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void aNotificationIsMailedOnceAndShownToItsDistrictOnly() throws Exception {
        String jinshan = TestPlatform.districtToken("310116");
        String baoshan = TestPlatform.districtToken("310113");
        Notification n = notification(id(), "SH-2023-03", "310116", Audience.DISTRICT, NotificationKind.DUE_SOON);
        // Made a second later than n: "newest first" must not hang on two notifications built in the same millisecond.
        Notification marker = Notification.newBuilder(notification(id(), "SH-2023-03", "310116", Audience.DISTRICT,
                NotificationKind.OVERDUE)).setCreatedAt(n.getCreatedAt().plusSeconds(1)).build();
        // The same id twice (a rebuild re-emits it), then a marker after it on the same partition.
        publish(n, Notification.newBuilder(n).setCreatedAt(Instant.now()).build(), marker);

        await().atMost(Duration.ofSeconds(90)).until(() -> mailsOf(marker.getNotificationId()).size() == 1);
        List<MimeMessage> mails = mailsOf(n.getNotificationId());
        assertThat(mails).hasSize(1);
        MimeMessage m = mails.get(0);
        assertThat(recipient(m)).isEqualTo("clerk-310116@district.local");
        assertThat(m.getSubject()).isEqualTo("【督办】案例 SH-2023-03 临近办理期限 / Case SH-2023-03 is due soon");
        String body = GreenMailUtil.getBody(m);
        String text = m.getContent().toString();
        assertThat(text).contains("距办理期限还有 7 天").contains("7 days to the due date");
        assertThat(text.indexOf("距办理期限")).isLessThan(text.indexOf("7 days to the due date"));
        assertThat(body).isNotBlank();
        assertThat(m.getMessageID()).startsWith("<" + n.getNotificationId() + ".");

        // The inbox: 金山区 sees it (unread), 宝山区 does not, and may not open it.
        JsonNode mine = inbox(jinshan, "");
        assertThat(lists(mine, n.getNotificationId())).isTrue();
        assertThat(itemOf(mine, n.getNotificationId()).path("read").asBoolean()).isFalse();
        long unreadBefore = mine.path("unread").asLong();
        assertThat(unreadBefore).isGreaterThanOrEqualTo(2);
        assertThat(mine.path("items").get(0).path("notificationId").asString()).as("newest first").isEqualTo(marker.getNotificationId());
        assertThat(mine.path("items").findValuesAsString("notificationId").stream().filter(n.getNotificationId()::equals)).hasSize(1);
        assertThat(lists(inbox(baoshan, ""), n.getNotificationId())).isFalse();
        assertStatus(call("GET", "/api/v1/notifications/" + n.getNotificationId(), baoshan, null), 403);
        assertStatus(call("POST", "/api/v1/notifications/" + n.getNotificationId() + "/read", baoshan, null), 403);
        assertStatus(call("GET", "/api/v1/notifications", null, null), 401);
        // The city office's to-do holds CITY_OFFICE notifications, not the district's.
        assertThat(lists(inbox(TestPlatform.cityOfficeToken(), ""), n.getNotificationId())).isFalse();

        // Read marks persist (on the compacted topic) and count.
        HttpResponse<String> read = call("POST", "/api/v1/notifications/" + n.getNotificationId() + "/read", jinshan, null);
        assertStatus(read, 200);
        assertThat(JSON.readTree(read.body()).path("read").asBoolean()).isTrue();
        assertStatus(call("POST", "/api/v1/notifications/" + n.getNotificationId() + "/read", jinshan, null), 200);
        JsonNode after = inbox(jinshan, "");
        assertThat(itemOf(after, n.getNotificationId()).path("read").asBoolean()).isTrue();
        assertThat(after.path("unread").asLong()).isEqualTo(unreadBefore - 1);
        assertThat(lists(inbox(jinshan, "?unread=true"), n.getNotificationId())).isFalse();
        String readKey = "district-310116|" + n.getNotificationId();
        assertThat(TestPlatform.readAll(Topics.NOTIFICATION_READS.name()).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(readKey)).count()).as("one read mark, not two").isEqualTo(1);

        // Paging.
        JsonNode first = inbox(jinshan, "?size=1&page=0");
        assertThat(first.path("items")).hasSize(1);
        assertThat(first.path("total").asLong()).isGreaterThanOrEqualTo(2);
        assertStatus(call("GET", "/api/v1/notifications?size=0", jinshan, null), 400);
    }

    @Test
    @Order(2)
    void aCityOfficeNotificationGoesToTheCityOffice() {
        Notification n = notification(id(), "SH-2023-07", "310104", Audience.CITY_OFFICE, NotificationKind.REVIEW_REQUESTED);
        publish(n);
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsOf(n.getNotificationId()).size() == 1);
        assertThat(mailsOf(n.getNotificationId())).extracting(m -> {
            try {
                return recipient(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).containsExactly("duban@city.local");
        String city = TestPlatform.cityOfficeToken();
        await().atMost(Duration.ofSeconds(10)).until(() -> lists(inbox(city, "?districtCode=310104"), n.getNotificationId()));
        assertThat(lists(inbox(city, "?districtCode=310116"), n.getNotificationId())).isFalse();
        assertThat(lists(inbox(TestPlatform.districtToken("310104"), ""), n.getNotificationId())).isFalse();
    }

    @Test
    @Order(3)
    void followingACaseShowsAndMailsItsNotificationsToAnotherDistrict() throws Exception {
        String baoshan = LocalTokens.district(LocalTokens.LOCAL_SECRET, "310113", "宝山区发展改革委", "zhang.wei@baoshan.local",
                Duration.ofHours(1));
        assertStatus(call("POST", "/api/v1/follows", baoshan, "{}"), 400);
        assertStatus(call("POST", "/api/v1/follows", baoshan, "{\"caseId\": \"SH-1999-99\"}"), 400);
        assertStatus(call("POST", "/api/v1/follows", null, "{\"caseId\": \"SH-2023-05\"}"), 401);
        // The catalog (published above) is read by the service's catalog follower.
        await().atMost(Duration.ofSeconds(30)).until(() -> call("POST", "/api/v1/follows", baoshan, "{\"caseId\": \"SH-2023-05\"}").statusCode() == 201);
        assertStatus(call("POST", "/api/v1/follows", baoshan, "{\"caseId\": \"SH-2023-05\"}"), 200);
        JsonNode follows = JSON.readTree(call("GET", "/api/v1/follows", baoshan, null).body());
        assertThat(follows).hasSize(1);
        assertThat(follows.get(0).path("email").asString()).isEqualTo("zhang.wei@baoshan.local");

        Notification n = notification(id(), "SH-2023-05", "310116", Audience.DISTRICT, NotificationKind.URGED);
        publish(n);
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsOf(n.getNotificationId()).size() == 2);
        assertThat(mailsOf(n.getNotificationId())).extracting(m -> {
            try {
                return recipient(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).containsExactlyInAnyOrder("clerk-310116@district.local", "zhang.wei@baoshan.local");
        JsonNode seen = inbox(baoshan, "");
        assertThat(itemOf(seen, n.getNotificationId()).path("followed").asBoolean()).isTrue();
        assertStatus(call("GET", "/api/v1/notifications/" + n.getNotificationId(), baoshan, null), 200);

        assertStatus(call("DELETE", "/api/v1/follows?caseId=SH-2023-05", baoshan, null), 204);
        assertThat(JSON.readTree(call("GET", "/api/v1/follows", baoshan, null).body())).isEmpty();
        assertThat(lists(inbox(baoshan, ""), n.getNotificationId())).isFalse();
        assertStatus(call("DELETE", "/api/v1/follows?caseId=SH-2023-05", baoshan, null), 404);
    }

    @Test
    @Order(7)
    void aHealthChangeOfAFollowedDistrictReachesItsFollowersOnly() throws Exception {
        String baoshan = LocalTokens.district(LocalTokens.LOCAL_SECRET, "310113", "宝山区发展改革委", "zhang.wei@baoshan.local",
                Duration.ofHours(1));
        String jinshan = LocalTokens.district(LocalTokens.LOCAL_SECRET, "310116", "金山区发展改革委", Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> call("POST", "/api/v1/follows", baoshan, "{\"districtCode\": \"310116\"}")
                .statusCode() == 201);
        sh.reform.schema.status.StatusAlert alert = sh.reform.schema.status.StatusAlert.newBuilder().setAlertId(id())
                .setCaseId("SH-2023-06").setDistrictCode("310116").setPreviousHealth(sh.reform.schema.status.Health.GREEN)
                .setHealth(sh.reform.schema.status.Health.RED).setRule("target-passed-not-live")
                .setReasonZh("目标日期已过，案例尚未全面上线").setReasonEn("the target date has passed and the case is not live")
                .setRaisedAt(Instant.now()).build();
        publishTo(Topics.STATUS_ALERTS.name(), "SH-2023-06|310116", alert, alert); // the second copy is a repeat

        await().atMost(Duration.ofSeconds(60)).until(() -> lists(inbox(baoshan, ""), alert.getAlertId()));
        JsonNode item = itemOf(inbox(baoshan, ""), alert.getAlertId());
        assertThat(item.path("kind").asString()).isEqualTo("HEALTH_CHANGED");
        assertThat(item.path("titleZh").asString()).contains("金山区").contains("红灯");
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsOf(alert.getAlertId()).size() == 1);
        assertThat(recipient(mailsOf(alert.getAlertId()).get(0))).isEqualTo("zhang.wei@baoshan.local");
        // Not the district's own clerks' business through this path (they see their cell on the dashboard).
        assertThat(lists(inbox(jinshan, ""), alert.getAlertId())).isFalse();
        assertStatus(call("DELETE", "/api/v1/follows?districtCode=310116", baoshan, null), 204);
    }

    @Test
    @Order(8)
    void badBodiesOnTheWriteEndpointsGet4xxAndPublishNothing() throws Exception {
        String token = TestPlatform.districtToken("310113");
        int followsBefore = TestPlatform.readAll(Topics.FOLLOWS.name()).size();
        int readsBefore = TestPlatform.readAll(Topics.NOTIFICATION_READS.name()).size();
        String huge = "{\"caseId\": \"" + "x".repeat(2_000_000) + "\"}";
        List<String[]> cases = List.of(
                new String[] {"multipart/form-data", "--zz\r\n"},
                new String[] {"multipart/form-data; boundary=", "{}"},
                new String[] {"text/plain", "{\"caseId\": \"SH-2023-05\"}"},
                new String[] {"application/json", "{\"caseId\": "},
                new String[] {"application/json", "[1, 2]"},
                new String[] {"application/json", huge});
        for (String path : List.of("/api/v1/follows", "/api/v1/notifications/" + id() + "/read")) {
            for (String[] c : cases) {
                HttpResponse<String> r = TestPlatform.HTTP.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", c[0])
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(c[1], StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("%s %s with %s", "POST", path, c[0]).isBetween(400, 499);
            }
        }
        assertThat(TestPlatform.readAll(Topics.FOLLOWS.name())).hasSize(followsBefore);
        assertThat(TestPlatform.readAll(Topics.NOTIFICATION_READS.name())).hasSize(readsBefore);
    }

    /** Publishes records to a topic in one committed transaction each, as the fold does. */
    static void publishTo(String topic, String key, Object... values) {
        Map<String, Object> p = ProducerDefaults.avroProducer(TestPlatform.bootstrapServers(), RealInfra.registry().confluentApiUrl());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "notification-test-" + UUID.randomUUID());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        p.put("schema.registry.request.timeout.ms", 20_000);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            for (Object v : values) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, key, v));
                producer.commitTransaction();
            }
        }
    }

    @Test
    @Order(4)
    void anUnreadableRecordGoesToTheDeadLetterTopicAndDeliveryGoesOn() {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestPlatform.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            p.send(new ProducerRecord<>(Topics.NOTIFICATIONS.name(), "SH-2023-03|310116", "not avro".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }
        Notification after = notification(id(), "SH-2023-03", "310116", Audience.DISTRICT, NotificationKind.ASSIGNED);
        publish(after);
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsOf(after.getNotificationId()).size() == 1);
        var dead = TestPlatform.readAll(Topics.NOTIFICATIONS.deadLetterTopic());
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(new String(dead.get(0).headers().lastHeader("reform-dlq-reason").value(), StandardCharsets.UTF_8)).isEqualTo("unreadable");
    }

    @Test
    @Order(5)
    void aFailedSendIsRetriedNotDropped() {
        smtp.stop();
        Notification n = notification(id(), "SH-2023-11", "310115", Audience.DISTRICT_LEADERSHIP, NotificationKind.URGE_ESCALATED);
        publish(n);
        String leader = "leader-310115@district.local";
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode m = JSON.readTree(call("GET", "/actuator/metrics/reform.notifications.mail?tag=outcome:retried", null, null).body());
            return m.path("measurements").path(0).path("value").asDouble() >= 2;
        });
        smtp = startSmtp();
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsOf(n.getNotificationId()).size() == 1);
        assertThat(mailsOf(n.getNotificationId())).extracting(m -> {
            try {
                return recipient(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).containsExactly(leader);
        assertThat(lists(inbox(TestPlatform.districtToken("310115"), ""), n.getNotificationId())).as("leadership notices show in the district's inbox").isTrue();
    }

    @Test
    @Order(6)
    void openApiAndHealth() {
        HttpResponse<String> api = call("GET", "/v3/api-docs", null, null);
        assertStatus(api, 200);
        assertThat(api.body()).contains("/api/v1/notifications").contains("/api/v1/follows");
        assertStatus(call("GET", "/actuator/prometheus", null, null), 200);
        assertThat(JSON.readTree(call("GET", "/actuator/health", null, null).body()).path("components").path("kafkaStreams")
                .path("status").asString()).isEqualTo("UP");
    }

    @Test
    @Order(7)
    void theDashboardOriginMayCallTheInboxFromTheBrowser() {
        HttpResponse<String> preflight = TestPlatform.send(port, "OPTIONS", "/api/v1/notifications", null, null, Map.of(
                "Origin", "http://127.0.0.1:8080", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("http://127.0.0.1:8080");
        HttpResponse<String> get = TestPlatform.send(port, "GET", "/api/v1/notifications", TestPlatform.districtToken("310116"), null,
                Map.of("Origin", "http://127.0.0.1:8080"));
        assertStatus(get, 200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).contains("http://127.0.0.1:8080");
        HttpResponse<String> stranger = TestPlatform.send(port, "OPTIONS", "/api/v1/notifications", null, null, Map.of(
                "Origin", "http://evil.example", "Access-Control-Request-Method", "GET"));
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("notification-service-test");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
