package sh.reform.shared.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues HS256-signed tokens for local mode and tests, with the shared secret the services
 * verify against ({@code reform.security.jwt.secret}). Production uses the city's identity
 * provider instead (Spring's {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}).
 *
 * <p>Command line: {@code deploy/local/token --district 310116} (a 金山区 reporter),
 * {@code --city-office}, or {@code --integration 310116,310113}.
 */
public final class LocalTokens {

    /** The local-mode secret; never use it outside a developer machine. */
    public static final String LOCAL_SECRET = "local-only-secret-change-me-0123456789abcdef";

    private LocalTokens() {
    }

    public static String district(String secret, String districtCode, String agency, Duration ttl) {
        return sign(secret, new JWTClaimsSet.Builder().subject("district-" + districtCode)
                .claim(ReformPrincipal.CLAIM_ROLE, "DISTRICT").claim(ReformPrincipal.CLAIM_DISTRICT, districtCode)
                .claim(ReformPrincipal.CLAIM_AGENCY, agency), ttl);
    }

    /** A district token that also carries an {@code email} claim (where followed notifications are mailed). */
    public static String district(String secret, String districtCode, String agency, String email, Duration ttl) {
        return sign(secret, new JWTClaimsSet.Builder().subject("district-" + districtCode)
                .claim(ReformPrincipal.CLAIM_ROLE, "DISTRICT").claim(ReformPrincipal.CLAIM_DISTRICT, districtCode)
                .claim(ReformPrincipal.CLAIM_AGENCY, agency).claim(CLAIM_EMAIL, email), ttl);
    }

    /** The optional e-mail address of the signed-in person. */
    public static final String CLAIM_EMAIL = "email";

    public static String cityOffice(String secret, String name, Duration ttl) {
        return sign(secret, new JWTClaimsSet.Builder().subject(name).claim(ReformPrincipal.CLAIM_ROLE, "CITY_OFFICE")
                .claim(ReformPrincipal.CLAIM_AGENCY, "上海市优化营商环境工作领导小组办公室"), ttl);
    }

    public static String integration(String secret, String name, List<String> districts, Duration ttl) {
        return sign(secret, new JWTClaimsSet.Builder().subject(name).claim(ReformPrincipal.CLAIM_ROLE, "INTEGRATION")
                .claim(ReformPrincipal.CLAIM_DISTRICTS, districts).claim(ReformPrincipal.CLAIM_AGENCY, name), ttl);
    }

    static String sign(String secret, JWTClaimsSet.Builder claims, Duration ttl) {
        Instant now = Instant.now();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.issuer("reform-local")
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                    .jwtID(UUID.randomUUID().toString()).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign token (the secret needs at least 32 bytes): " + e.getMessage(), e);
        }
    }

    /** {@code --district CODE [--agency NAME] | --city-office | --integration CODES} [--secret S] [--hours H] */
    public static void main(String[] args) {
        String secret = System.getenv().getOrDefault("REFORM_JWT_SECRET", LOCAL_SECRET);
        String district = null;
        String agency = null;
        String integration = null;
        String email = null;
        boolean city = false;
        long hours = 12;
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            switch (rest.get(i)) {
                case "--district" -> district = rest.get(++i);
                case "--agency" -> agency = rest.get(++i);
                case "--city-office" -> city = true;
                case "--integration" -> integration = rest.get(++i);
                case "--email" -> email = rest.get(++i);
                case "--secret" -> secret = rest.get(++i);
                case "--hours" -> hours = Long.parseLong(rest.get(++i));
                default -> {
                    System.err.println("unknown option " + rest.get(i));
                    System.exit(2);
                }
            }
        }
        Duration ttl = Duration.ofHours(hours);
        String token;
        if (city) {
            token = cityOffice(secret, "city-office", ttl);
        } else if (integration != null) {
            token = integration(secret, "integration", List.of(integration.split(",")), ttl);
        } else if (district != null) {
            token = email == null ? district(secret, district, agency, ttl) : district(secret, district, agency, email, ttl);
        } else {
            System.err.println("usage: token --district 310116 [--agency 金山区发展改革委] [--email a@b] | --city-office | --integration 310116,310113");
            System.exit(2);
            return;
        }
        System.out.println(token);
    }
}
