package sh.reform.rollout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.reporting.ReportingEngines;

/** Districts report a measure of an adopted case reaching a stage: planned, pilot, live, scaled, suspended. */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "举措推进报送 API / Measure rollout API", version = "v1",
        description = "各区报送举措推进阶段（计划、试点、上线、全面推开、暂停）、覆盖范围与一网通办事项编码。 / Districts report measure rollout."))
public class MeasureRolloutServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MeasureRolloutServiceApplication.class, args);
    }

    @Bean
    ReportingEngine<MeasureRolloutReported> rolloutEngine(RolloutKind kind, CatalogFollower catalog, KafkaProperties kafka,
                                                          ReformProperties reform, Environment env, MeterRegistry meters) {
        return ReportingEngines.create(kind, catalog, kafka, reform, env, meters);
    }

    @Bean
    HealthIndicator receiptsHealthIndicator(ReportingEngine<MeasureRolloutReported> engine) {
        return ReportingEngines.health(engine);
    }
}
