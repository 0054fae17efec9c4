package sh.reform.gateway.signing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import sh.reform.gateway.GatewayMeters;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.shared.web.ProblemAdvice;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates the signed inbound endpoints: reads the body once (the signature covers it),
 * checks the signature, and passes the request on with the body still readable and the
 * {@link SignedApp} as the authenticated principal. A refused request never reaches a controller,
 * so it publishes nothing.
 */
public final class SignatureFilter extends OncePerRequestFilter {

    /** With Spring's mix-in, so the problem's properties (code, detailZh …) are top-level members as RFC 9457 has them. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .addMixIn(org.springframework.http.ProblemDetail.class, org.springframework.http.converter.json.ProblemDetailJacksonMixin.class).build();

    private final SignatureVerifier verifier;
    private final long maxBody;
    private final GatewayMeters meters;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public SignatureFilter(SignatureVerifier verifier, long maxBody, GatewayMeters meters) {
        this.verifier = verifier;
        this.maxBody = maxBody;
        this.meters = meters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        SignedApp app;
        try {
            body = read(request.getInputStream(), maxBody);
            String path = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            app = verifier.verify(request.getMethod(), path, request::getHeader, body);
        } catch (ApiProblemException e) {
            meters.inbound(systemOf(request), "rejected");
            write(request, response, e);
            return;
        }
        SecurityContext ctx = contexts.createEmptyContext();
        ctx.setAuthentication(new SignedAppAuthentication(app));
        contexts.setContext(ctx);
        chain.doFilter(new CachedBody(request, body), response);
    }

    static String systemOf(HttpServletRequest request) {
        return request.getRequestURI().contains("/operations/") ? "ONE_NETWORK_OPERATIONS" : "ONE_NETWORK_SERVICES";
    }

    private static byte[] read(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > max) {
                throw new ApiProblemException(HttpStatus.CONTENT_TOO_LARGE, "too-large", "请求过大", "request too large",
                        "请求体超过 " + max / (1024 * 1024) + " MB", "the body is larger than " + max / (1024 * 1024) + " MB", List.of(), null);
            }
        }
        return out.toByteArray();
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, ApiProblemException p) throws IOException {
        response.setStatus(p.status().value());
        response.setContentType(ProblemAdvice.PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        if (p.status() == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "HMAC-SHA256 headers=\"X-App-Key X-Timestamp X-Nonce X-Signature\"");
        }
        response.getWriter().write(JSON.writeValueAsString(ProblemAdvice.toProblem(p, request)));
    }

    /** The signed app as Spring Security's authentication. */
    static final class SignedAppAuthentication extends AbstractAuthenticationToken {

        private final SignedApp app;

        SignedAppAuthentication(SignedApp app) {
            super(AuthorityUtils.createAuthorityList("ROLE_ONE_NETWORK_APP"));
            this.app = app;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return app;
        }
    }

    /** The request with its body, already read, readable again. */
    private static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String enc = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body), java.nio.charset.Charset.forName(enc)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
