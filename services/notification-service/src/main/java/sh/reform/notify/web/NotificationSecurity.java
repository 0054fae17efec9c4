package sh.reform.notify.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

import sh.reform.shared.security.ProblemSecurityHandlers;

/**
 * Everything under {@code /api/} needs a token — an inbox is personal, reads included; OpenAPI, health and
 * metrics are open as in every service of the platform. Tokens are the platform's JWTs (shared decoder).
 */
@Configuration(proxyBeanMethods = false)
class NotificationSecurity {

    @Bean
    SecurityFilterChain inboxSecurity(HttpSecurity http) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        http.csrf(c -> c.disable())
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
