package sh.reform.adoption;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.reporting.ReportingEngines;

/** Districts report their decision to adopt (or pause, or withdraw from) a published case. */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "案例复制报送 API / Case adoption API", version = "v1",
        description = "各区报送复制推广优秀案例的决定：拟复制、已复制、暂停、撤回。 / Districts report adopting a case."))
public class CaseAdoptionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaseAdoptionServiceApplication.class, args);
    }

    @Bean
    ReportingEngine<CaseAdoptionReported> adoptionEngine(AdoptionKind kind, CatalogFollower catalog, KafkaProperties kafka,
                                                         ReformProperties reform, Environment env, MeterRegistry meters) {
        return ReportingEngines.create(kind, catalog, kafka, reform, env, meters);
    }

    @Bean
    HealthIndicator receiptsHealthIndicator(ReportingEngine<CaseAdoptionReported> engine) {
        return ReportingEngines.health(engine);
    }
}
