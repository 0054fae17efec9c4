package sh.reform.status.bulletin;

import java.time.Instant;
import java.time.OffsetDateTime;

import sh.reform.status.fold.HealthRules;

/** Instants as Asia/Shanghai date-times, as every answer of the status API shows them. */
final class ShanghaiTimes {

    private ShanghaiTimes() {
    }

    static OffsetDateTime of(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, HealthRules.SHANGHAI);
    }
}
