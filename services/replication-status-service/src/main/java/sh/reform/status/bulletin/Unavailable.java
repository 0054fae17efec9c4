package sh.reform.status.bulletin;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

import sh.reform.shared.web.ApiProblemException;
import sh.reform.shared.web.ProblemTexts;

/** The 503 of a bulletin that cannot be read or issued now (broker or registry unreachable); nothing was issued. */
final class Unavailable {

    private Unavailable() {
    }

    static ApiProblemException of(Duration retryAfter, Throwable cause) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        ApiProblemException e = new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                ProblemTexts.zh("unavailable"), ProblemTexts.en("unavailable"),
                "通报暂时无法读取或签发（消息系统不可达），未签发任何内容，请在 " + seconds + " 秒后重试。",
                "Bulletins cannot be read or issued right now (the log is unreachable); nothing was issued. Retry in "
                        + seconds + " seconds.",
                List.of(), retryAfter);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
