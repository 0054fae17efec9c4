package sh.reform.status.bulletin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import sh.reform.shared.web.ApiProblemException;

class PeriodTest {

    @ParameterizedTest(name = "{0}: {1} – {2}, previous {3}")
    @CsvSource({
            "2026-11, 2026-11-01, 2026-11-30, 2026-10",
            "2026-01, 2026-01-01, 2026-01-31, 2025-12",
            "2026-Q4, 2026-10-01, 2026-12-31, 2026-Q3",
            "2026-Q1, 2026-01-01, 2026-03-31, 2025-Q4",
            "2026-11-01_2026-11-15, 2026-11-01, 2026-11-15, 2026-10-17_2026-10-31"})
    void parsesMonthsQuartersAndSpans(String code, LocalDate first, LocalDate last, String previous) {
        Period p = Period.parse("period", code);
        assertThat(p.code()).isEqualTo(code);
        assertThat(p.first()).isEqualTo(first);
        assertThat(p.last()).isEqualTo(last);
        assertThat(p.previous().code()).isEqualTo(previous);
    }

    @Test
    void endsAt24OClockShanghai() {
        Period nov = Period.parse("period", "2026-11");
        assertThat(nov.end()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(nov.asOf()).isEqualTo(Instant.parse("2026-11-30T15:59:59.999Z"));
        assertThat(nov.isOverAt(Instant.parse("2026-11-30T15:59:59Z"))).isFalse();
        assertThat(nov.isOverAt(Instant.parse("2026-11-30T16:00:00Z"))).isTrue();
    }

    @Test
    void aBadPeriodIsA400NamingTheField() {
        for (String bad : new String[] {"", "2026-13", "2026-Q5", "November", "2026-11-15_2026-11-01"}) {
            assertThatThrownBy(() -> Period.parse("period", bad)).as(bad).isInstanceOf(ApiProblemException.class)
                    .satisfies(e -> assertThat(((ApiProblemException) e).status().value()).isEqualTo(400));
        }
    }
}
