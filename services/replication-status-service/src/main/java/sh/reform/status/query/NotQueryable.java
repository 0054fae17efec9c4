package sh.reform.status.query;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

import sh.reform.shared.web.ApiProblemException;
import sh.reform.shared.web.ProblemTexts;

/**
 * The 503 of a read that cannot be answered completely yet: the state stores are starting, restoring or
 * moving between instances, or the log could not be read. Same problem code as the shared
 * {@code unavailable}, with a detail that fits a read (the shared one speaks of publishing).
 */
final class NotQueryable {

    private NotQueryable() {
    }

    static ApiProblemException of(Duration retryAfter, Throwable cause) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        ApiProblemException e = new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                ProblemTexts.zh("unavailable"), ProblemTexts.en("unavailable"),
                "复制推广状态正在启动或在实例间迁移，暂时无法给出完整答案，请在 " + seconds + " 秒后重试。",
                "The replication status is starting or moving between instances and cannot be answered completely yet."
                        + " Retry in " + seconds + " seconds.",
                List.of(), retryAfter);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
