package sh.reform.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.testing.TestPlatform;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may take which step, for every one of Shanghai's 16 districts, on every endpoint: the district
 * itself, another district, the city office, an integration client configured for the district and one
 * configured for another. Every refusal is a 403 and publishes nothing; every acceptance publishes
 * exactly one record per cell (counted by records, not offsets).
 */
class SupervisionAuthorizationMatrixTest extends SupervisionApiTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> DISTRICTS = List.of("310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
            "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151");

    /** The endpoints, and whether a step is the city office's (else the district's own). */
    enum Endpoint {
        ASSIGN("/assignments", true),
        ASSIGN_BATCH("/assignments/batch", true),
        ACKNOWLEDGE("/acknowledgements", false),
        URGE("/urges", true),
        RESPOND("/responses", false),
        REVIEW("/reviews", true);

        final String path;
        final boolean cityOffice;

        Endpoint(String path, boolean cityOffice) {
            this.path = path;
            this.cityOffice = cityOffice;
        }

        String body(String caseId, String district) {
            String cell = "\"caseId\": \"" + caseId + "\", \"districtCode\": \"" + district + "\", \"eventId\": \"" + UUID.randomUUID() + "\"";
            return switch (this) {
                case ASSIGN -> "{" + cell + ", \"dueDate\": \"2099-12-31\"}";
                case ASSIGN_BATCH -> "{\"dueDate\": \"2099-12-31\", \"cells\": [{" + cell + "}]}";
                case ACKNOWLEDGE -> "{" + cell + ", \"leadAgency\": \"区发展改革委\", \"contactName\": \"联系人\"}";
                case URGE -> "{" + cell + ", \"message\": \"请反馈进度\", \"replyBy\": \"2099-12-31\"}";
                case RESPOND -> "{" + cell + ", \"urgeEventId\": \"" + UUID.randomUUID() + "\", \"done\": \"已推进\"}";
                case REVIEW -> "{" + cell + ", \"claimEventId\": \"" + UUID.randomUUID() + "\", \"claimKind\": \"ADOPTION\", \"verdict\": \"ACCEPTED\"}";
            };
        }
    }

    /** The callers tried against one district, and whether each may take the district's own steps and the city office's. */
    record Caller(String name, String token, boolean districtSteps, boolean cityOfficeSteps) {
    }

    static List<Caller> callers(String district) {
        String other = DISTRICTS.get((DISTRICTS.indexOf(district) + 1) % DISTRICTS.size());
        String secret = LocalTokens.LOCAL_SECRET;
        Duration hour = Duration.ofHours(1);
        return List.of(
                new Caller("the district itself", TestPlatform.districtToken(district), true, false),
                new Caller("another district (" + other + ")", TestPlatform.districtToken(other), false, false),
                new Caller("the city office", TestPlatform.cityOfficeToken(), false, true),
                new Caller("an integration client for it", LocalTokens.integration(secret, "ywtb-" + district, List.of(other, district), hour), true, false),
                new Caller("an integration client for another district", LocalTokens.integration(secret, "ywtb-" + other, List.of(other), hour), false, false));
    }

    static Stream<String> districts() {
        return DISTRICTS.stream();
    }

    @ParameterizedTest(name = "district {0}")
    @MethodSource("districts")
    void eachStepIsTakenOnlyByThoseWhoseStepItIs(String district) {
        ready();
        String caseId = caseFor(district);
        List<String> wrong = new ArrayList<>();
        for (Caller caller : callers(district)) {
            for (Endpoint endpoint : Endpoint.values()) {
                boolean allowed = endpoint.cityOffice ? caller.cityOfficeSteps() : caller.districtSteps();
                long before = published();
                HttpResponse<String> r = post(endpoint.path, caller.token(), endpoint.body(caseId, district), Map.of());
                long written = published() - before;
                int expected = allowed ? 202 : 403;
                if (r.statusCode() != expected || written != (allowed ? 1 : 0)) {
                    wrong.add(endpoint + " by " + caller.name() + ": " + r.statusCode() + " (expected " + expected + "), "
                            + written + " record(s) written; " + r.body());
                }
                if (!allowed && r.statusCode() == 403) {
                    var p = JSON.readTree(r.body());
                    if (p.path("detailZh").asString().isBlank() || p.path("detailEn").asString().isBlank()) {
                        wrong.add(endpoint + " by " + caller.name() + ": the refusal does not say why in both languages: " + r.body());
                    }
                }
            }
        }
        assertThat(wrong).as("district %s, case %s", district, caseId).isEmpty();
    }

    @ParameterizedTest(name = "district {0}")
    @MethodSource("districts")
    void aWrongCallerIsRefusedBeforeItsFieldsAreLookedAt(String district) {
        ready();
        long before = published();
        for (Endpoint endpoint : Endpoint.values()) {
            String token = endpoint.cityOffice ? TestPlatform.districtToken(district) : TestPlatform.cityOfficeToken();
            HttpResponse<String> r = post(endpoint.path, token, "{\"districtCode\": \"" + district + "\"}", Map.of());
            assertThat(r.statusCode()).as("%s: %s", endpoint, r.body()).isEqualTo(403);
        }
        assertThat(published()).isEqualTo(before);
    }
}
