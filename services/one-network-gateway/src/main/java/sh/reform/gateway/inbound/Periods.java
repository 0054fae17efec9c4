package sh.reform.gateway.inbound;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statistical periods as the outcome API writes them (2026, 2026-Q3, 2026-09, 2026-09-01/2026-09-30;
 * a single day 2026-09-15 becomes 2026-09-15/2026-09-15), and when each is over, in Shanghai.
 */
final class Periods {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Pattern YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(0[1-9]|1[0-2])");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern RANGE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})/(\\d{4}-\\d{2}-\\d{2})");

    private Periods() {
    }

    /** The period in the outcome API's form; empty when it is none of the accepted forms. */
    static Optional<String> normalise(String period) {
        if (period == null) {
            return Optional.empty();
        }
        String p = period.strip();
        if (DAY.matcher(p).matches()) {
            return end(p + "/" + p).map(x -> p + "/" + p);
        }
        return end(p).map(x -> p);
    }

    /** The first instant after the period. */
    static Optional<Instant> end(String period) {
        try {
            Matcher m;
            if ((m = YEAR.matcher(period)).matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)) + 1, 1, 1).atStartOfDay(SHANGHAI).toInstant());
            }
            if ((m = QUARTER.matcher(period)).matches()) {
                return Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) * 3).plusMonths(1)
                        .atDay(1).atStartOfDay(SHANGHAI).toInstant());
            }
            if ((m = MONTH.matcher(period)).matches()) {
                return Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))).plusMonths(1)
                        .atDay(1).atStartOfDay(SHANGHAI).toInstant());
            }
            if ((m = RANGE.matcher(period)).matches()) {
                LocalDate from = LocalDate.parse(m.group(1));
                LocalDate to = LocalDate.parse(m.group(2));
                return to.isBefore(from) ? Optional.empty() : Optional.of(to.plusDays(1).atStartOfDay(SHANGHAI).toInstant());
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
