package sh.reform.notify.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import sh.reform.shared.config.ReformProperties;

import sh.reform.shared.security.ProblemSecurityHandlers;

/**
 * Everything under {@code /api/} needs a token — an inbox is personal, reads included; OpenAPI, health and
 * metrics are open as in every service of the platform. Tokens are the platform's JWTs (shared decoder).
 * The dashboard calls this service from the browser: CORS allows {@code reform.cors-allowed-origins}, as the
 * platform's shared security chain does for the other services.
 */
@Configuration(proxyBeanMethods = false)
class NotificationSecurity {

    @Bean
    SecurityFilterChain inboxSecurity(HttpSecurity http, ReformProperties props) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(props.getCorsAllowedOrigins());
        cors.setAllowedMethods(java.util.List.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(java.util.List.of("*"));
        cors.setExposedHeaders(java.util.List.of("Idempotent-Replayed", "Retry-After", "Location"));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource corsSource = new UrlBasedCorsConfigurationSource();
        corsSource.registerCorsConfiguration("/**", cors);
        http.cors(c -> c.configurationSource(corsSource))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .requestMatchers(HttpMethod.GET, "/**").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o.jwt(j -> { }).authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }
}
