package sh.reform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The harness's pure parts: which kind of component a launcher child is, and the options. */
class ChaosTest {

    @Test
    void everyChildOfTheLauncherHasAKind() {
        assertThat(Chaos.kindOf("kafka-node-2")).isEqualTo("broker");
        assertThat(Chaos.kindOf("kafka-broker")).isEqualTo("broker");
        assertThat(Chaos.kindOf("apicurio-registry")).isEqualTo("registry");
        assertThat(Chaos.kindOf("one-network-gateway")).isEqualTo("gateway");
        assertThat(Chaos.kindOf("replication-status-service-3")).isEqualTo("status");
        assertThat(Chaos.kindOf("case-adoption-service")).isEqualTo("reporting");
        assertThat(Chaos.kindOf("measure-rollout-service-2")).isEqualTo("reporting");
        assertThat(Chaos.kindOf("dashboard")).isEqualTo("other");
    }

    @Test
    void optionsDefaultToTheTenMinuteClusterRun() {
        Chaos.Options o = Chaos.Options.parse(new String[0]);
        assertThat(o.seconds()).isEqualTo(600);
        assertThat(o.brokers()).isEqualTo(3);
        assertThat(o.instances()).isEqualTo(3);
        assertThat(o.rate()).isGreaterThanOrEqualTo(50);
        Chaos.Options shortRun = Chaos.Options.parse(new String[] {"--seconds", "120", "--instances", "2", "--kill-every", "10"});
        assertThat(shortRun.seconds()).isEqualTo(120);
        assertThat(shortRun.instances()).isEqualTo(2);
        assertThat(shortRun.killEverySeconds()).isEqualTo(10);
    }
}
