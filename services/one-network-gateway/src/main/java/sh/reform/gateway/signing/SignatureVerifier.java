package sh.reform.gateway.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

import sh.reform.shared.web.ApiProblemException;

/**
 * Checks a signed inbound request (see {@link RequestSigner} for the format). Every refusal is a
 * 401 with a stable code and a reason in both languages: {@code signature-missing},
 * {@code unknown-app-key}, {@code stale-timestamp}, {@code bad-signature}, {@code replayed-nonce}.
 * The nonce is recorded only for a request whose signature is right, so nobody can use up
 * another app's nonces.
 */
public final class SignatureVerifier {

    static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private final AppRegistry apps;
    private final NonceCache nonces;
    private final Duration maxSkew;
    private final Clock clock;

    public SignatureVerifier(AppRegistry apps, Duration maxSkew, Duration nonceTtl, Clock clock) {
        this.apps = apps;
        this.nonces = new NonceCache(nonceTtl);
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    /**
     * @param method        the HTTP method
     * @param pathAndQuery  the path as sent, with {@code ?query} when there is one
     * @param header        the request's headers by name
     * @param body          the raw body (empty when none)
     */
    public SignedApp verify(String method, String pathAndQuery, UnaryOperator<String> header, byte[] body) {
        String appKey = header.apply(RequestSigner.APP_KEY);
        String timestamp = header.apply(RequestSigner.TIMESTAMP);
        String nonce = header.apply(RequestSigner.NONCE);
        String signature = header.apply(RequestSigner.SIGNATURE);
        if (blank(appKey) || blank(timestamp) || blank(nonce) || blank(signature)) {
            throw refusal("signature-missing", "缺少签名请求头：需要 X-App-Key、X-Timestamp、X-Nonce 和 X-Signature",
                    "signature headers missing: X-App-Key, X-Timestamp, X-Nonce and X-Signature are required");
        }
        AppRegistry.App app = apps.find(appKey.strip()).orElseThrow(() -> refusal("unknown-app-key",
                "未登记的应用标识（X-App-Key）“" + abbreviate(appKey) + "”", "unknown app key '" + abbreviate(appKey) + "'"));
        Instant now = clock.instant();
        long ts;
        try {
            ts = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw refusal("stale-timestamp", "X-Timestamp 应为毫秒时间戳", "X-Timestamp must be epoch milliseconds");
        }
        long skew = Math.abs(now.toEpochMilli() - ts);
        if (skew > maxSkew.toMillis()) {
            throw refusal("stale-timestamp",
                    "请求时间戳与服务器时间相差 " + skew / 1000 + " 秒，超过允许的 " + maxSkew.toSeconds() + " 秒；请校准时钟后重新签名",
                    "the request timestamp is " + skew / 1000 + " s away from the server clock, more than the allowed "
                            + maxSkew.toSeconds() + " s; sync the clock and sign again");
        }
        if (!NONCE.matcher(nonce).matches()) {
            throw refusal("signature-missing", "X-Nonce 应为 8–64 位字母、数字、连字符或下划线", "X-Nonce must be 8–64 letters, digits, '-' or '_'");
        }
        String toSign = RequestSigner.stringToSign(method, pathAndQuery, ts, nonce, body);
        if (!matchesAny(app.acceptedSecrets(now), toSign, signature.strip())) {
            throw refusal("bad-signature",
                    "签名不正确：请按 METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body)) 用应用密钥计算 HMAC-SHA256 并 Base64 编码",
                    "wrong signature: sign METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body)) with HMAC-SHA256 and the app secret, Base64-encoded");
        }
        if (!nonces.firstUse(app.appKey(), nonce, now.toEpochMilli())) {
            throw refusal("replayed-nonce", "该 X-Nonce 已使用过（" + nonces.ttlMinutes() + " 分钟内不得重复），请求被视为重放",
                    "this X-Nonce was used before (nonces may not repeat within " + nonces.ttlMinutes() + " minutes); the request is taken as a replay");
        }
        return new SignedApp(app.appKey(), app.name(), app.agency());
    }

    private static boolean matchesAny(List<String> secrets, String toSign, String given) {
        byte[] g = given.getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String s : secrets) {
            // Compare in constant time, and try every secret, so timing tells nothing about which one was close.
            ok |= MessageDigest.isEqual(RequestSigner.signature(s, toSign).getBytes(StandardCharsets.US_ASCII), g);
        }
        return ok;
    }

    static ApiProblemException refusal(String code, String zh, String en) {
        return new ApiProblemException(HttpStatus.UNAUTHORIZED, code, "签名校验未通过", "signature check failed", zh, en, List.of(), null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
