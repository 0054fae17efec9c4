package sh.reform.gateway;

import java.nio.file.Path;
import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import sh.reform.gateway.signing.AppRegistry;
import sh.reform.gateway.signing.SignatureFilter;
import sh.reform.gateway.signing.SignatureVerifier;
import sh.reform.shared.security.ProblemSecurityHandlers;

/**
 * Two doors. The inbound endpoints the one-network systems call are signed with an app key and
 * HMAC (the {@link SignatureFilter}); everything the city office does — mappings, the review
 * queue, subscriptions and their dead letters — needs a JWT with role CITY_OFFICE. Other reads
 * (OpenAPI, health, mappings) are open, as in every service of the platform.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

    static final String BASE = "/api/v1/one-network";
    static final String[] SIGNED = {BASE + "/services/items", BASE + "/services/monthly-reports", BASE + "/operations/records"};

    @Bean
    AppRegistry appRegistry(GatewaySettings settings) {
        return new AppRegistry(Path.of(settings.appsFile()), settings.signature().appsFileCheckInterval(), Clock.systemUTC());
    }

    @Bean
    SignatureVerifier signatureVerifier(AppRegistry apps, GatewaySettings settings) {
        return new SignatureVerifier(apps, settings.signature().maxClockSkew(), settings.signature().nonceTtl(), Clock.systemUTC());
    }

    @Bean
    @Order(1)
    SecurityFilterChain signedInbound(HttpSecurity http, SignatureVerifier verifier, GatewaySettings settings, GatewayMeters meters)
            throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher[] signed = java.util.Arrays.stream(SIGNED).map(p -> (RequestMatcher) paths.matcher(HttpMethod.POST, p))
                .toArray(RequestMatcher[]::new);
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        http.securityMatcher(new OrRequestMatcher(signed))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().hasRole("ONE_NETWORK_APP"))
                .addFilterBefore(new SignatureFilter(verifier, settings.signature().maxBody().toBytes(), meters),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain cityOffice(HttpSecurity http) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(BASE + "/review/**", BASE + "/review", BASE + "/subscriptions/**", BASE + "/subscriptions")
                        .hasRole("CITY_OFFICE")
                        .requestMatchers(HttpMethod.GET, "/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/**").permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .requestMatchers(BASE + "/mappings/**").hasRole("CITY_OFFICE")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(roleFromClaim()))
                        .authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }

    /** The platform's tokens carry the role in the claim {@code role}: CITY_OFFICE becomes ROLE_CITY_OFFICE. */
    private static JwtAuthenticationConverter roleFromClaim() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("role");
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter c = new JwtAuthenticationConverter();
        c.setJwtGrantedAuthoritiesConverter(roles);
        return c;
    }
}
