package sh.reform.shared.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import sh.reform.shared.web.ApiProblemException;
import sh.reform.shared.web.ProblemAdvice;
import sh.reform.shared.web.ProblemTexts;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 from Spring Security as the same bilingual problem details as everything else. */
public final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        write(request, response, new ApiProblemException(HttpStatus.UNAUTHORIZED, "unauthenticated",
                ProblemTexts.zh("unauthenticated"), ProblemTexts.en("unauthenticated"),
                ProblemTexts.zh("unauthenticated.detail"), ProblemTexts.en("unauthenticated.detail") + " (" + e.getMessage() + ")",
                List.of(), null));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        write(request, response, ApiProblemException.forbidden("您的令牌无权执行此操作", "your token does not allow this operation"));
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, ApiProblemException p) throws IOException {
        response.setStatus(p.status().value());
        response.setContentType(ProblemAdvice.PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        if (p.status() == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        // Flattened as Spring's message converters write ProblemDetail (extension members at the top level).
        var problem = ProblemAdvice.toProblem(p, request);
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance() == null ? null : problem.getInstance().toString());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
