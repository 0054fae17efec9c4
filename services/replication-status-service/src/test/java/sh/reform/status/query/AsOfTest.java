package sh.reform.status.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import sh.reform.shared.web.ApiProblemException;

class AsOfTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void aDateMeansTheEndOfThatDayInShanghai() {
        assertThat(AsOf.parse("2026-11-01", NOW)).contains(Instant.parse("2026-11-01T15:59:59.999Z"));
    }

    @Test
    void instantsWithAnOffsetAndShanghaiLocalTimesAreRead() {
        assertThat(AsOf.parse("2026-11-01T10:00:00Z", NOW)).contains(Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(AsOf.parse("2026-11-01T18:00+08:00", NOW)).contains(Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(AsOf.parse("2026-11-01T18:00", NOW)).contains(Instant.parse("2026-11-01T10:00:00Z"));
    }

    @Test
    void noAsOfMeansLiveAndTheFutureMeansNow() {
        assertThat(AsOf.parse(null, NOW)).isEmpty();
        assertThat(AsOf.parse(" ", NOW)).isEmpty();
        assertThat(AsOf.parse("2026-11-24", NOW)).contains(NOW);
    }

    @Test
    void rejectsWhatIsNeitherADateNorATime() {
        assertThatThrownBy(() -> AsOf.parse("last week", NOW)).isInstanceOfSatisfying(ApiProblemException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("asOf"));
        });
    }
}
