package sh.reform.status;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import sh.reform.catalog.SeedCatalog;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.SupervisionRules;

/**
 * The replication-status service: a Kafka Streams application that folds every district's adoption,
 * rollout and outcome reports into the status of each case in each district, publishes status changes
 * and health alerts, and answers the city office's questions about them.
 */
@SpringBootApplication
@EnableConfigurationProperties({StatusSettings.class, SupervisionSettings.class})
@OpenAPIDefinition(info = @Info(title = "复制推广状态 / Replication status", version = "v1",
        description = "各区复制推广优秀案例的状态、红黄绿预警与排名 / who adopted what, what is live, where it is stuck"))
public class ReplicationStatusApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReplicationStatusApplication.class, args);
    }

    @Bean
    HealthRules healthRules(StatusSettings settings) {
        return settings.getHealth().toRules();
    }

    @Bean
    SupervisionRules supervisionRules(SupervisionSettings settings) {
        return settings.toRules();
    }

    /**
     * The clock health and due dates are judged by. The system clock; a test that needs days to pass declares
     * a {@code @Primary} clock of its own.
     */
    @Bean
    Clock reformClock() {
        return Clock.systemUTC();
    }

    /** The jurisdictions that report: the packaged reference list, the same every service validates against. */
    @Bean
    Districts districts() {
        var catalog = SeedCatalog.load();
        return Districts.of(catalog.districts(), java.util.List.copyOf(catalog.jurisdictions()));
    }
}
