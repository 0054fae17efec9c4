package sh.reform.status.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import sh.reform.catalog.FieldError;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.fold.HealthRules;

/**
 * The {@code asOf} query parameter: a date ({@code 2026-11-01}, meaning the end of that day in
 * Asia/Shanghai), a local date-time (Shanghai), or an instant with an offset
 * ({@code 2026-11-01T10:00:00Z}, {@code 2026-11-01T18:00+08:00}). A moment after {@code now} means now:
 * the log holds nothing later.
 */
final class AsOf {

    static final String PARAMETER = "asOf";

    private AsOf() {
    }

    static Optional<Instant> parse(String raw, Instant now) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String text = raw.trim();
        Instant at;
        try {
            if (text.length() == 10) {
                at = LocalDate.parse(text).plusDays(1).atStartOfDay(HealthRules.SHANGHAI).toInstant().minusMillis(1);
            } else if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                at = OffsetDateTime.parse(text).toInstant();
            } else {
                at = LocalDateTime.parse(text).atZone(HealthRules.SHANGHAI).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw ApiProblemException.invalid(List.of(new FieldError(PARAMETER, "invalid-as-of",
                    "asOf 应为日期（2026-11-01）或时间（2026-11-01T10:00:00+08:00）：" + text,
                    "asOf must be a date (2026-11-01) or a time (2026-11-01T10:00:00+08:00): " + text)));
        }
        return Optional.of(at.isAfter(now) ? now : at);
    }
}
