package sh.reform.supervision;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.reporting.ReportingEngines;

/** The supervision chain's door (督办): the city office assigns, urges and reviews; districts acknowledge and respond. */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "督办 API / Supervision API", version = "v1",
        description = "市营商办交办、催办、复核；各区签收、反馈。每一步都是 reform.supervision 上的一条事件。"
                + " / The city office assigns, urges and reviews; districts acknowledge and respond. Each step is an event on reform.supervision."))
public class SupervisionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SupervisionServiceApplication.class, args);
    }

    @Bean
    ReportingEngine<SupervisionEvent> supervisionEngine(SupervisionKind kind, CatalogFollower catalog, KafkaProperties kafka,
                                                        ReformProperties reform, Environment env, MeterRegistry meters) {
        return ReportingEngines.create(kind, catalog, kafka, reform, env, meters);
    }

    @Bean
    HealthIndicator receiptsHealthIndicator(ReportingEngine<SupervisionEvent> engine) {
        return ReportingEngines.health(engine);
    }
}
