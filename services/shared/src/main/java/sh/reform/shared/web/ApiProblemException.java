package sh.reform.shared.web;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

import sh.reform.catalog.FieldError;

/**
 * A refusal the caller can act on, answered as RFC 9457 problem details in Chinese and English
 * by {@link ProblemAdvice}. Thrown by controllers and the services behind them; never a 500.
 */
public class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String titleZh;
    private final String titleEn;
    private final String detailZh;
    private final String detailEn;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    public ApiProblemException(HttpStatus status, String code, String titleZh, String titleEn, String detailZh,
                               String detailEn, List<FieldError> errors, Duration retryAfter) {
        super(code + ": " + detailEn);
        this.status = status;
        this.code = code;
        this.titleZh = titleZh;
        this.titleEn = titleEn;
        this.detailZh = detailZh;
        this.detailEn = detailEn;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** 400 with one entry per bad field. */
    public static ApiProblemException invalid(List<FieldError> errors) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid", ProblemTexts.zh("invalid"), ProblemTexts.en("invalid"),
                ProblemTexts.zh("invalid.detail", errors.size()), ProblemTexts.en("invalid.detail", errors.size()), errors, null);
    }

    public static ApiProblemException forbidden(String detailZh, String detailEn) {
        return new ApiProblemException(HttpStatus.FORBIDDEN, "forbidden", ProblemTexts.zh("forbidden"), ProblemTexts.en("forbidden"),
                detailZh, detailEn, List.of(), null);
    }

    public static ApiProblemException notFound(String detailZh, String detailEn) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, "not-found", ProblemTexts.zh("not-found"), ProblemTexts.en("not-found"),
                detailZh, detailEn, List.of(), null);
    }

    public static ApiProblemException conflict(String detailZh, String detailEn) {
        return new ApiProblemException(HttpStatus.CONFLICT, "conflict", ProblemTexts.zh("conflict"), ProblemTexts.en("conflict"),
                detailZh, detailEn, List.of(), null);
    }

    /** 503 with Retry-After: the broker or registry is down and nothing was published. */
    public static ApiProblemException unavailable(Duration retryAfter, Throwable cause) {
        ApiProblemException e = new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                ProblemTexts.zh("unavailable"), ProblemTexts.en("unavailable"),
                ProblemTexts.zh("unavailable.detail", retryAfter.toSeconds()), ProblemTexts.en("unavailable.detail", retryAfter.toSeconds()),
                List.of(), retryAfter);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    public HttpStatus status() { return status; }
    public String code() { return code; }
    public String titleZh() { return titleZh; }
    public String titleEn() { return titleEn; }
    public String detailZh() { return detailZh; }
    public String detailEn() { return detailEn; }
    public List<FieldError> errors() { return errors; }
    public Duration retryAfter() { return retryAfter; }
}
