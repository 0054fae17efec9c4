package sh.reform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");
    private final RestartPolicy policy = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 5, Duration.ofMinutes(5));

    @Test
    void backOffDoublesWithEachFailureInTheWindowUpToTheMaximum() {
        RestartPolicy.History h = policy.history();
        assertThat(h.onFailure(T0)).isEqualTo(new RestartPolicy.Restart(1, Duration.ofSeconds(1)));
        assertThat(h.onFailure(T0.plusSeconds(10))).isEqualTo(new RestartPolicy.Restart(2, Duration.ofSeconds(2)));
        assertThat(h.onFailure(T0.plusSeconds(20))).isEqualTo(new RestartPolicy.Restart(3, Duration.ofSeconds(4)));
        assertThat(h.onFailure(T0.plusSeconds(30))).isEqualTo(new RestartPolicy.Restart(4, Duration.ofSeconds(8)));
        assertThat(h.onFailure(T0.plusSeconds(40))).isEqualTo(new RestartPolicy.Restart(5, Duration.ofSeconds(10)));
        assertThat(h.total()).isEqualTo(5);
    }

    @Test
    void givesUpWhenTheLimitIsReachedWithinTheWindow() {
        RestartPolicy.History h = policy.history();
        for (int i = 0; i < 5; i++) {
            assertThat(h.onFailure(T0.plusSeconds(i))).isInstanceOf(RestartPolicy.Restart.class);
        }
        assertThat(h.onFailure(T0.plusSeconds(5))).isEqualTo(new RestartPolicy.GiveUp(5, 5, Duration.ofMinutes(5)));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCountNorLengthenTheBackOff() {
        RestartPolicy.History h = policy.history();
        for (int i = 0; i < 5; i++) {
            h.onFailure(T0.plusSeconds(i));
        }
        // Five minutes after the first four, only the fifth is still in the window.
        assertThat(h.onFailure(T0.plusSeconds(300 + 3).plusMillis(1)))
                .isEqualTo(new RestartPolicy.Restart(6, Duration.ofSeconds(2)));
        // Long after all of them: a fresh start, shortest back-off.
        assertThat(h.onFailure(T0.plus(Duration.ofHours(1)))).isEqualTo(new RestartPolicy.Restart(7, Duration.ofSeconds(1)));
    }

    @Test
    void aLimitOfZeroNeverRestarts() {
        assertThat(policy.withLimit(0, Duration.ofMinutes(1)).history().onFailure(T0))
                .isEqualTo(new RestartPolicy.GiveUp(0, 0, Duration.ofMinutes(1)));
    }

    @Test
    void optionsParseTheLimitAndWindow() {
        LocalPlatform.Options o = LocalPlatform.Options.parse(new String[] {"--restart-limit", "7", "--restart-window=60"}, java.nio.file.Path.of("/d"));
        assertThat(o.restarts().limit()).isEqualTo(7);
        assertThat(o.restarts().window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(LocalPlatform.Options.parse(new String[0], java.nio.file.Path.of("/d")).restarts()).isEqualTo(RestartPolicy.DEFAULT);
        assertThatThrownBy(() -> LocalPlatform.Options.parse(new String[] {"--restart-window", "0"}, java.nio.file.Path.of("/d")))
                .hasMessageContaining("≥ 1");
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
