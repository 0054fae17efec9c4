package sh.reform.dashboard.signin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import sh.reform.dashboard.DashboardSettings;
import sh.reform.shared.security.LocalTokens;

/**
 * Local mode sign-in: the clerk picks a district and this server signs a district token with the local
 * secret, so the browser can call the reporting services directly. There is no password: it exists for
 * a developer's machine and demos only, and the page says so. Off with
 * {@code reform.dashboard.local-sign-in=false} (production signs in through the city's identity provider).
 */
@RestController
class LocalSignInController {

    private static final Pattern DISTRICT = Pattern.compile("\\d{6}");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final DashboardSettings settings;

    LocalSignInController(DashboardSettings settings) {
        this.settings = settings;
    }

    record SignIn(String districtCode, String agency) {
    }

    record Session(String mode, String token, String districtCode, String agency, OffsetDateTime expiresAt) {
    }

    /** A city office session: the role is CITY_OFFICE and there is no district. */
    record CitySession(String mode, String role, String token, String name, String agency, OffsetDateTime expiresAt) {
    }

    /**
     * Local mode sign-in as the city office (市营商办), for the 督办 page: assign, urge, review. Like the
     * district sign-in, no password; the page labels it local mode.
     */
    @PostMapping("/api/local/sign-in/city-office")
    ResponseEntity<?> signInCityOffice() {
        if (!settings.isLocalSignIn()) {
            return problem(HttpStatus.FORBIDDEN, "本地登录已关闭 / local sign-in is switched off", null);
        }
        String name = "city-office-local";
        String token = LocalTokens.cityOffice(settings.getJwtSecret(), name, settings.getTokenTtl());
        Instant expires = Instant.now().plus(settings.getTokenTtl());
        return ResponseEntity.ok(new CitySession("local", "CITY_OFFICE", token, name, "上海市优化营商环境工作领导小组办公室",
                expires.atZone(SHANGHAI).toOffsetDateTime()));
    }

    @PostMapping("/api/local/sign-in")
    ResponseEntity<?> signIn(@RequestBody SignIn request) {
        if (!settings.isLocalSignIn()) {
            return problem(HttpStatus.FORBIDDEN, "本地登录已关闭 / local sign-in is switched off", null);
        }
        if (request.districtCode() == null || !DISTRICT.matcher(request.districtCode().strip()).matches()) {
            return problem(HttpStatus.BAD_REQUEST, "请选择一个区 / pick a district", "districtCode");
        }
        String district = request.districtCode().strip();
        String agency = request.agency() == null || request.agency().isBlank() ? null : request.agency().strip();
        String token = LocalTokens.district(settings.getJwtSecret(), district, agency, settings.getTokenTtl());
        Instant expires = Instant.now().plus(settings.getTokenTtl());
        return ResponseEntity.ok(new Session("local", token, district, agency, expires.atZone(SHANGHAI).toOffsetDateTime()));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, String field) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        if (field != null) {
            String[] texts = detail.split(" / ");
            p.setProperty("errors", java.util.List.of(Map.of("field", field, "messageZh", texts[0], "messageEn", texts[1])));
        }
        return ResponseEntity.status(status).body(p);
    }
}
