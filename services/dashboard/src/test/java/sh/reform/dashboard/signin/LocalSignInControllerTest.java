package sh.reform.dashboard.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;

import sh.reform.dashboard.DashboardSettings;
import sh.reform.shared.security.LocalTokens;

class LocalSignInControllerTest {

    final DashboardSettings settings = new DashboardSettings();
    final LocalSignInController controller = new LocalSignInController(settings);

    @Test
    void signInIssuesADistrictTokenTheServicesVerifyWithTheLocalSecret() throws Exception {
        ResponseEntity<?> answer = controller.signIn(new LocalSignInController.SignIn("310116", "金山区发展改革委"));

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        LocalSignInController.Session session = (LocalSignInController.Session) answer.getBody();
        assertThat(session.mode()).isEqualTo("local");
        SignedJWT jwt = SignedJWT.parse(session.token());
        assertThat(jwt.verify(new MACVerifier(LocalTokens.LOCAL_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("DISTRICT");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("district")).isEqualTo("310116");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("agency")).isEqualTo("金山区发展改革委");
    }

    @Test
    void signInWithoutADistrictIsRefusedBesideTheDistrictField() {
        ResponseEntity<?> answer = controller.signIn(new LocalSignInController.SignIn(" ", null));

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody().toString()).contains("districtCode");
    }

    @Test
    void signInIsRefusedWhenLocalSignInIsOff() {
        settings.setLocalSignIn(false);

        assertThat(controller.signIn(new LocalSignInController.SignIn("310116", null)).getStatusCode().value()).isEqualTo(403);
    }

    @Test
    void cityOfficeSignInIssuesACityOfficeTokenAndIsRefusedWhenLocalSignInIsOff() throws Exception {
        ResponseEntity<?> answer = controller.signInCityOffice();

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        LocalSignInController.CitySession session = (LocalSignInController.CitySession) answer.getBody();
        SignedJWT jwt = SignedJWT.parse(session.token());
        assertThat(jwt.verify(new MACVerifier(LocalTokens.LOCAL_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("CITY_OFFICE");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("district")).isNull();

        settings.setLocalSignIn(false);
        assertThat(controller.signInCityOffice().getStatusCode().value()).isEqualTo(403);
    }
}
