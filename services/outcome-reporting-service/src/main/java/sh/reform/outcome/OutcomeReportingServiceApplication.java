package sh.reform.outcome;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.reporting.ReportingEngines;

/** Districts report results against the metrics of a case they replicate. */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "成效报送 API / Outcome reporting API", version = "v1",
        description = "各区按案例指标报送成效数据（数值、单位、统计期、佐证）。 / Districts report outcomes against a case's metrics."))
public class OutcomeReportingServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(OutcomeReportingServiceApplication.class, args);
    }

    @Bean
    ReportingEngine<OutcomeReported> outcomeEngine(OutcomeKind kind, CatalogFollower catalog, KafkaProperties kafka,
                                                          ReformProperties reform, Environment env, MeterRegistry meters) {
        return ReportingEngines.create(kind, catalog, kafka, reform, env, meters);
    }

    @Bean
    HealthIndicator receiptsHealthIndicator(ReportingEngine<OutcomeReported> engine) {
        return ReportingEngines.health(engine);
    }
}
