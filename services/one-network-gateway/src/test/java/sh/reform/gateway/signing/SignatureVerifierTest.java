package sh.reform.gateway.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sh.reform.shared.web.ApiProblemException;

class SignatureVerifierTest {

    static final String SECRET = "first-secret-of-the-services-app-0123456789";
    static final String NEXT = "second-secret-of-the-services-app-9876543210";
    static final Instant NOW = Instant.parse("2026-11-20T02:00:00Z");
    static final String PATH = "/api/v1/one-network/services/items";
    static final byte[] BODY = "{\"messageId\":\"m-1\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    SignatureVerifier verifier(String appsYaml) throws IOException {
        Path f = dir.resolve("apps.yaml");
        Files.writeString(f, appsYaml);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new SignatureVerifier(new AppRegistry(f, Duration.ZERO, clock), Duration.ofMinutes(5), Duration.ofMinutes(10), clock);
    }

    static String app(String secret, String previous) {
        return "apps:\n  - appKey: ywtb\n    name: 一网通办\n    secret: \"" + secret + "\"\n"
                + (previous == null ? "" : "    previousSecret: \"" + previous + "\"\n");
    }

    static Map<String, String> signed(String secret, long ts, String nonce, byte[] body) {
        return new HashMap<>(new RequestSigner("ywtb", secret).sign("POST", PATH, body, ts, nonce));
    }

    static String refusalCode(SignatureVerifier v, Map<String, String> headers, byte[] body) {
        try {
            v.verify("POST", PATH, headers::get, body);
            return "accepted";
        } catch (ApiProblemException e) {
            assertThat(e.status().value()).isEqualTo(401);
            assertThat(e.detailZh()).isNotBlank();
            assertThat(e.detailEn()).isNotBlank();
            return e.code();
        }
    }

    @Test
    void acceptsAGoodSignatureAndNamesTheApp() throws IOException {
        SignedApp app = verifier(app(SECRET, null)).verify("POST", PATH, signed(SECRET, NOW.toEpochMilli(), "nonce-0001", BODY)::get, BODY);
        assertThat(app.appKey()).isEqualTo("ywtb");
        assertThat(app.name()).isEqualTo("一网通办");
    }

    @Test
    void refusesAWrongSignatureAChangedBodyAndAnotherPath() throws IOException {
        SignatureVerifier v = verifier(app(SECRET, null));
        assertThat(refusalCode(v, signed(NEXT, NOW.toEpochMilli(), "nonce-0002", BODY), BODY)).isEqualTo("bad-signature");
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0003", BODY), "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("bad-signature");
        Map<String, String> h = new RequestSigner("ywtb", SECRET).sign("POST", "/api/v1/one-network/operations/records", BODY, NOW.toEpochMilli(), "nonce-0004");
        assertThat(refusalCode(v, h, BODY)).isEqualTo("bad-signature");
    }

    @Test
    void refusesATimestampMoreThanFiveMinutesOffEitherWay() throws IOException {
        SignatureVerifier v = verifier(app(SECRET, null));
        long old = NOW.minus(Duration.ofMinutes(5)).minusSeconds(1).toEpochMilli();
        long ahead = NOW.plus(Duration.ofMinutes(5)).plusSeconds(1).toEpochMilli();
        assertThat(refusalCode(v, signed(SECRET, old, "nonce-0005", BODY), BODY)).isEqualTo("stale-timestamp");
        assertThat(refusalCode(v, signed(SECRET, ahead, "nonce-0006", BODY), BODY)).isEqualTo("stale-timestamp");
        assertThat(refusalCode(v, signed(SECRET, NOW.minus(Duration.ofMinutes(4)).toEpochMilli(), "nonce-0007", BODY), BODY)).isEqualTo("accepted");
    }

    @Test
    void refusesANonceUsedBeforeButNotOneThatFailedItsSignature() throws IOException {
        SignatureVerifier v = verifier(app(SECRET, null));
        assertThat(refusalCode(v, signed(NEXT, NOW.toEpochMilli(), "nonce-0008", BODY), BODY)).isEqualTo("bad-signature");
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0008", BODY), BODY)).isEqualTo("accepted");
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0008", BODY), BODY)).isEqualTo("replayed-nonce");
    }

    @Test
    void refusesAnUnknownAppKeyAndMissingHeaders() throws IOException {
        SignatureVerifier v = verifier(app(SECRET, null));
        Map<String, String> h = new HashMap<>(new RequestSigner("someone-else", SECRET).sign("POST", PATH, BODY, NOW.toEpochMilli(), "nonce-0009"));
        assertThat(refusalCode(v, h, BODY)).isEqualTo("unknown-app-key");
        Map<String, String> missing = signed(SECRET, NOW.toEpochMilli(), "nonce-0010", BODY);
        missing.remove(RequestSigner.NONCE);
        assertThat(refusalCode(v, missing, BODY)).isEqualTo("signature-missing");
    }

    @Test
    void duringRotationThePreviousSecretStillWorksAndAfterwardsItDoesNot() throws IOException {
        SignatureVerifier v = verifier(app(NEXT, SECRET));
        assertThat(refusalCode(v, signed(NEXT, NOW.toEpochMilli(), "nonce-0011", BODY), BODY)).isEqualTo("accepted");
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0012", BODY), BODY)).isEqualTo("accepted");
        Files.writeString(dir.resolve("apps.yaml"), app(NEXT, null));
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0013", BODY), BODY)).isEqualTo("bad-signature");
    }

    @Test
    void aBrokenAppsFileKeepsTheAppsReadBefore() throws IOException {
        SignatureVerifier v = verifier(app(SECRET, null));
        Files.writeString(dir.resolve("apps.yaml"), "apps: [ {appKey: ywtb, secret: short} ]");
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0014", BODY), BODY)).isEqualTo("accepted");
    }

    @Test
    void thePreviousSecretEndsAtItsDeadline() throws IOException {
        SignatureVerifier v = verifier(app(NEXT, SECRET) + "    previousSecretUntil: 2026-11-20T09:59:00+08:00\n");
        assertThat(refusalCode(v, signed(SECRET, NOW.toEpochMilli(), "nonce-0015", BODY), BODY)).isEqualTo("bad-signature");
    }
}
