package sh.reform.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.shared.testing.TestPlatform.assertStatus;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import sh.reform.local.infra.RealInfra;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.testing.TestPlatform;

/** With the broker down a step gets 503 with Retry-After, fast, and nothing lands; the retry lands once. */
class SupervisionUnavailableTest extends SupervisionApiTestBase {

    @Test
    void withTheBrokerStoppedAnUrgeAndABatchGet503AndTheRetryLandsOnce() throws Exception {
        ready();
        String id = UUID.randomUUID().toString();
        String urge = "{\"eventId\": \"" + id + "\", \"caseId\": \"SH-2023-09\", \"districtCode\": \"310116\", \"message\": \"请反馈\", "
                + "\"replyBy\": \"2099-01-10\", \"occurredAt\": \"2026-11-20T10:00:00+08:00\"}";
        String batch = "{\"dueDate\": \"2099-01-10\", \"cells\": [{\"caseId\": \"SH-2023-09\", \"districtCode\": \"310117\", \"eventId\": \""
                + UUID.randomUUID() + "\"}]}";
        String city = TestPlatform.cityOfficeToken();
        long before = published();
        RealInfra.broker().stop();
        try {
            for (String[] call : new String[][] {{"/urges", urge}, {"/assignments/batch", batch}}) {
                long start = System.nanoTime();
                HttpResponse<String> r = post(call[0], city, call[1]);
                assertStatus(r, 503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(call[0]).isLessThan(Duration.ofSeconds(5));
            }
        } finally {
            RealInfra.replaceBroker(RealInfra.broker().restart());
        }
        // The documented client behaviour: retry the same request after Retry-After until it is accepted.
        HttpResponse<String> retry = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> post("/urges", city, urge, Map.of()), r -> r.statusCode() == 202);
        assertStatus(retry, 202);
        assertThat(TestPlatform.readAll(TOPIC).stream()
                .filter(x -> id.equals(CloudEventHeaders.get(x.headers(), CloudEventHeaders.ID))).count()).isEqualTo(1);
        assertThat(published()).as("the two refused requests wrote nothing; the retry wrote one").isEqualTo(before + 1);
    }
}
