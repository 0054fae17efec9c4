package sh.reform.gateway.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request to the gateway's inbound endpoints the way government API gateways do: an app
 * key, the time, a one-off nonce and
 * <pre>
 * X-Signature = Base64( HMAC-SHA256( secret,
 *     METHOD + "\n" + PATH + "\n" + TIMESTAMP + "\n" + NONCE + "\n" + hex( SHA-256( body ) ) ) )
 * </pre>
 * METHOD in upper case; PATH as sent, with {@code ?query} when there is one; TIMESTAMP in epoch
 * milliseconds; the body digest in lower-case hex (of the empty body when there is none); the
 * secret as UTF-8 bytes. A client may copy this class as it is: it needs nothing but the JDK.
 */
public final class RequestSigner {

    public static final String APP_KEY = "X-App-Key";
    public static final String TIMESTAMP = "X-Timestamp";
    public static final String NONCE = "X-Nonce";
    public static final String SIGNATURE = "X-Signature";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String appKey;
    private final String secret;

    public RequestSigner(String appKey, String secret) {
        this.appKey = appKey;
        this.secret = secret;
    }

    /** The four headers for a request sent now, with a fresh nonce. */
    public Map<String, String> sign(String method, String path, byte[] body) {
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        return sign(method, path, body, System.currentTimeMillis(), HexFormat.of().formatHex(n));
    }

    public Map<String, String> sign(String method, String path, byte[] body, long timestampMillis, String nonce) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(APP_KEY, appKey);
        h.put(TIMESTAMP, Long.toString(timestampMillis));
        h.put(NONCE, nonce);
        h.put(SIGNATURE, signature(secret, stringToSign(method, path, timestampMillis, nonce, body)));
        return h;
    }

    public static String stringToSign(String method, String path, long timestampMillis, String nonce, byte[] body) {
        return method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + timestampMillis + "\n" + nonce + "\n" + sha256Hex(body);
    }

    public static String signature(String secret, String stringToSign) {
        return Base64.getEncoder().encodeToString(hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable: " + e.getMessage(), e);
        }
    }

    public static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
