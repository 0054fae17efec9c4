package sh.reform.status.query;

import java.time.Instant;
import java.time.OffsetDateTime;

import sh.reform.status.fold.HealthRules;

/** Instants as the city office reads them: Asia/Shanghai, with the offset written out. */
final class ShanghaiTime {

    private ShanghaiTime() {
    }

    static OffsetDateTime of(Instant instant) {
        return instant == null ? null : instant.atZone(HealthRules.SHANGHAI).toOffsetDateTime();
    }
}
