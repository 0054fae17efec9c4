package sh.reform.shared.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import sh.reform.catalog.FieldError;

/**
 * Turns every refusal into RFC 9457 problem details ({@code application/problem+json}):
 * {@code title} and {@code detail} in the caller's language (Simplified Chinese unless the
 * {@code Accept-Language} header prefers English), both languages in {@code titleZh}/{@code titleEn},
 * a stable {@code code}, and {@code errors[]} with one entry per field. Bad input never becomes a 500.
 */
@RestControllerAdvice
public class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(ApiProblemException.class)
    public ResponseEntity<ProblemDetail> apiProblem(ApiProblemException e, HttpServletRequest request) {
        return respond(e, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        String why = e.getMostSpecificCause() == null ? "" : firstLine(e.getMostSpecificCause().getMessage());
        String field = JsonFieldPaths.fieldOf(e);
        List<FieldError> errors = field == null ? List.of()
                : List.of(new FieldError(field, "type", "字段 " + field + " 的类型或格式不对", "field " + field + " has the wrong type or format"));
        return respond(new ApiProblemException(HttpStatus.BAD_REQUEST, "unreadable", ProblemTexts.zh("unreadable"),
                ProblemTexts.en("unreadable"), ProblemTexts.zh("unreadable.detail", why), ProblemTexts.en("unreadable.detail", why),
                errors, null), request);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingServletRequestPartException.class})
    public ResponseEntity<ProblemDetail> badParameter(Exception e, HttpServletRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : e instanceof MissingServletRequestParameterException p ? p.getParameterName()
                : ((MissingServletRequestPartException) e).getRequestPartName();
        return respond(ApiProblemException.invalid(List.of(new FieldError(name, "invalid-parameter",
                "参数 " + name + " 缺失或格式不对", "parameter " + name + " is missing or malformed"))), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(new ApiProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                ProblemTexts.zh("unsupported-media-type"), ProblemTexts.en("unsupported-media-type"),
                "支持的类型：" + e.getSupportedMediaTypes(), "supported: " + e.getSupportedMediaTypes(), List.of(), null), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(new ApiProblemException(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                ProblemTexts.zh("method-not-allowed"), ProblemTexts.en("method-not-allowed"),
                e.getMethod(), e.getMethod(), List.of(), null), request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    public ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return respond(new ApiProblemException(HttpStatus.CONTENT_TOO_LARGE, "too-large", ProblemTexts.zh("too-large"),
                ProblemTexts.en("too-large"), "文件过大", "file too large", List.of(), null), request);
    }

    /**
     * A multipart body that cannot be parsed (no boundary, an empty one, a truncated part) — or multipart sent to an
     * endpoint that takes JSON — is the caller's error: 400, never 500.
     */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    public ResponseEntity<ProblemDetail> badMultipart(org.springframework.web.multipart.MultipartException e, HttpServletRequest request) {
        return respond(new ApiProblemException(HttpStatus.BAD_REQUEST, "unreadable", ProblemTexts.zh("unreadable"),
                ProblemTexts.en("unreadable"), "multipart 请求体无法解析（缺少或无效的 boundary？）",
                "the multipart body cannot be parsed (missing or invalid boundary?)", List.of(), null), request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return respond(ApiProblemException.notFound("没有这个地址：" + e.getResourcePath(), "no such path: " + e.getResourcePath()), request);
    }

    /** A client that went away (an event stream closed by the browser): nothing to answer, nothing to log as an error. */
    @ExceptionHandler(org.springframework.web.context.request.async.AsyncRequestNotUsableException.class)
    public void clientGone(Exception e) {
        log.debug("client disconnected: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof java.io.IOException && String.valueOf(e.getMessage()).contains("Broken pipe")) {
            log.debug("client disconnected: {}", e.getMessage());
            return null;
        }
        String id = UUID.randomUUID().toString();
        log.error("unexpected error {} on {} {}", id, request.getMethod(), request.getRequestURI(), e);
        return respond(new ApiProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "internal", ProblemTexts.zh("internal"),
                ProblemTexts.en("internal"), ProblemTexts.zh("internal.detail", id), ProblemTexts.en("internal.detail", id),
                List.of(), null), request);
    }

    /** Builds the response; also used by the security entry points. */
    public static ResponseEntity<ProblemDetail> respond(ApiProblemException e, HttpServletRequest request) {
        ProblemDetail body = toProblem(e, request);
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.status()).contentType(PROBLEM_JSON);
        if (e.retryAfter() != null) {
            b.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return b.body(body);
    }

    public static ProblemDetail toProblem(ApiProblemException e, HttpServletRequest request) {
        boolean english = prefersEnglish(request);
        ProblemDetail p = ProblemDetail.forStatus(e.status());
        p.setType(URI.create("https://reform.sh/problems/" + e.code()));
        p.setTitle(english ? e.titleEn() : e.titleZh());
        p.setDetail(english ? e.detailEn() : e.detailZh());
        p.setInstance(URI.create(request.getRequestURI()));
        p.setProperty("code", e.code());
        p.setProperty("titleZh", e.titleZh());
        p.setProperty("titleEn", e.titleEn());
        p.setProperty("detailZh", e.detailZh());
        p.setProperty("detailEn", e.detailEn());
        if (!e.errors().isEmpty()) {
            List<Map<String, String>> errors = new ArrayList<>();
            for (FieldError f : e.errors()) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("field", f.field());
                m.put("code", f.code());
                m.put("message", english ? f.messageEn() : f.messageZh());
                m.put("messageZh", f.messageZh());
                m.put("messageEn", f.messageEn());
                errors.add(m);
            }
            p.setProperty("errors", errors);
        }
        return p;
    }

    static boolean prefersEnglish(HttpServletRequest request) {
        String h = request.getHeader(HttpHeaders.ACCEPT_LANGUAGE);
        if (h == null || h.isBlank()) {
            return false;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(h);
            Locale best = Locale.lookup(ranges, List.of(Locale.SIMPLIFIED_CHINESE, Locale.CHINESE, Locale.ENGLISH));
            return best != null && best.getLanguage().equals("en");
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        String line = i < 0 ? s : s.substring(0, i);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
