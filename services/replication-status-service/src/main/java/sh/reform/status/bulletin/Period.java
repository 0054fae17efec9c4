package sh.reform.status.bulletin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sh.reform.catalog.FieldError;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.fold.HealthRules;

/**
 * The span a bulletin covers: a month ({@code 2026-11}), a quarter ({@code 2026-Q4}) or a custom span of days
 * ({@code 2026-11-01_2026-11-15}, both inclusive). A period ends at 24:00 Asia/Shanghai of its last day; the
 * bulletin describes the status at that moment, the same instant {@code ?asOf=2026-11-30} means on the status API.
 *
 * @param code  the canonical text, also the middle part of the bulletin key
 * @param first first day
 * @param last  last day (inclusive)
 */
public record Period(Kind kind, String code, LocalDate first, LocalDate last) {

    public enum Kind { MONTH, QUARTER, CUSTOM }

    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
    private static final Pattern CUSTOM = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})_(\\d{4}-\\d{2}-\\d{2})");

    public static Period month(YearMonth m) {
        return new Period(Kind.MONTH, m.toString(), m.atDay(1), m.atEndOfMonth());
    }

    public static Period quarter(int year, int q) {
        YearMonth start = YearMonth.of(year, 3 * (q - 1) + 1);
        return new Period(Kind.QUARTER, year + "-Q" + q, start.atDay(1), start.plusMonths(2).atEndOfMonth());
    }

    public static Period custom(LocalDate first, LocalDate last) {
        return new Period(Kind.CUSTOM, first + "_" + last, first, last);
    }

    /** Parses the period parameter; a bad one is a 400 naming the field. */
    public static Period parse(String field, String raw) {
        String text = raw == null ? "" : raw.trim();
        try {
            Matcher m = MONTH.matcher(text);
            if (m.matches()) {
                return month(YearMonth.parse(text));
            }
            m = QUARTER.matcher(text);
            if (m.matches()) {
                return quarter(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            m = CUSTOM.matcher(text);
            if (m.matches()) {
                LocalDate first = LocalDate.parse(m.group(1));
                LocalDate last = LocalDate.parse(m.group(2));
                if (last.isBefore(first)) {
                    throw ApiProblemException.invalid(List.of(new FieldError(field, "order",
                            "时段的结束日不能早于开始日：" + text, "the period's last day is before its first: " + text)));
                }
                return custom(first, last);
            }
        } catch (DateTimeParseException e) {
            // falls through to the message below
        }
        throw ApiProblemException.invalid(List.of(new FieldError(field, "invalid-period",
                "时段应为月份（2026-11）、季度（2026-Q4）或起止日期（2026-11-01_2026-11-15）：" + text,
                "period must be a month (2026-11), a quarter (2026-Q4) or a span of days (2026-11-01_2026-11-15): " + text)));
    }

    /** 24:00 Asia/Shanghai of the last day: the first instant after the period. */
    public Instant end() {
        return last.plusDays(1).atStartOfDay(HealthRules.SHANGHAI).toInstant();
    }

    /** The instant the bulletin's figures describe: the last millisecond of the period (as {@code ?asOf=<last day>}). */
    public Instant asOf() {
        return end().minusMillis(1);
    }

    /** Whether the period is over at {@code now} (only then can it be issued). */
    public boolean isOverAt(Instant now) {
        return !now.isBefore(end());
    }

    /** The period before: the previous month or quarter, or the span of as many days just before a custom one. */
    public Period previous() {
        return switch (kind) {
            case MONTH -> month(YearMonth.from(first).minusMonths(1));
            case QUARTER -> first.getMonthValue() == 1 ? quarter(first.getYear() - 1, 4)
                    : quarter(first.getYear(), (first.getMonthValue() - 1) / 3);
            case CUSTOM -> {
                long days = ChronoUnit.DAYS.between(first, last) + 1;
                yield custom(first.minusDays(days), first.minusDays(1));
            }
        };
    }

    /** Chinese label, e.g. 2026年11月, 2026年第4季度, 2026-11-01至2026-11-15. */
    public String labelZh() {
        return switch (kind) {
            case MONTH -> first.getYear() + "年" + first.getMonthValue() + "月";
            case QUARTER -> first.getYear() + "年第" + ((first.getMonthValue() - 1) / 3 + 1) + "季度";
            case CUSTOM -> first + "至" + last;
        };
    }

    public String labelEn() {
        return switch (kind) {
            case MONTH -> YearMonth.from(first).toString();
            case QUARTER -> first.getYear() + " Q" + ((first.getMonthValue() - 1) / 3 + 1);
            case CUSTOM -> first + " to " + last;
        };
    }
}
