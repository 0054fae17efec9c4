package sh.reform.status.query;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Says so when (part of) an answer came from a standby copy: headers {@code Status-Source: standby} and
 * {@code Status-Standby-Lag: <changelog records behind, at most>}. That happens only in the seconds after an
 * instance is lost, before Kafka Streams has moved its partitions; the lag allowed is
 * {@code reform.status.standby-max-lag} (1 by default: under exactly-once a copy that holds every committed change is one offset, the final commit marker, behind).
 */
@ControllerAdvice
class StandbyAnswers implements ResponseBodyAdvice<Object> {

    static final String SOURCE_HEADER = "Status-Source";
    static final String LAG_HEADER = InternalStatusController.STANDBY_LAG_HEADER;
    private static final String ATTRIBUTE = StandbyAnswers.class.getName() + ".lag";

    /** Notes, for the current request, that a standby copy with this lag answered. */
    static void record(long offsetLag) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return;
        }
        Object previous = request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        long lag = previous instanceof Long l ? Math.max(l, offsetLag) : offsetLag;
        request.setAttribute(ATTRIBUTE, lag, RequestAttributes.SCOPE_REQUEST);
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        Object lag = attributes == null ? null : attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (lag instanceof Long l) {
            response.getHeaders().set(SOURCE_HEADER, "standby");
            response.getHeaders().set(LAG_HEADER, Long.toString(l));
        }
        return body;
    }
}
