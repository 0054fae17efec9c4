package sh.reform.shared.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

import sh.reform.catalog.SeedCatalog;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.security.ProblemSecurityHandlers;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.web.ProblemAdvice;

/**
 * What every service gets by depending on reform-shared: topics created at start, producers that
 * lose and double nothing, the registry client, the catalog follower, problem-details errors, and
 * JWT security (writes need a token; reads are open).
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration"})
@org.springframework.security.config.annotation.web.configuration.EnableWebSecurity
@io.swagger.v3.oas.annotations.security.SecurityScheme(name = "bearer", type = io.swagger.v3.oas.annotations.enums.SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "本地模式：deploy/local/token --district 310116 签发令牌 / local mode: deploy/local/token issues a token")
@EnableConfigurationProperties(ReformProperties.class)
@Import(ProblemAdvice.class)
public class ReformPlatformAutoConfiguration {

    /**
     * The topic settings: as configured, or (replication factor 0, the default) derived from the cluster
     * with {@code describeCluster}: 1 on one local broker, 3 with {@code min.insync.replicas} 2 on three
     * or more. When the cluster cannot be reached at start, null: the topics then take the brokers'
     * defaults ({@code default.replication.factor}, {@code min.insync.replicas}).
     */
    @Bean
    TopicCatalogHolder topicCatalog(ReformProperties props, KafkaAdmin kafkaAdmin) {
        ReformProperties.Topics t = props.getTopics();
        if (t.getReplicationFactor() > 0) {
            int minIsr = t.getMinInsyncReplicas() > 0 ? t.getMinInsyncReplicas() : (t.getReplicationFactor() >= 3 ? 2 : 1);
            return new TopicCatalogHolder(t.getPartitions(), new TopicCatalog(t.getPartitions(), t.getReplicationFactor(), minIsr));
        }
        Map<String, Object> config = new java.util.HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            TopicCatalog derived = sh.reform.shared.topics.TopicProvisioner.catalogFor(admin, t.getPartitions());
            if (t.getMinInsyncReplicas() > 0) {
                derived = new TopicCatalog(t.getPartitions(), derived.replicationFactor(),
                        Math.min(t.getMinInsyncReplicas(), derived.replicationFactor()));
            }
            return new TopicCatalogHolder(t.getPartitions(), derived);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ReformPlatformAutoConfiguration.class).warn(
                    "cannot count the Kafka brokers ({}); missing topics take the brokers' default replication", e.getMessage());
            return new TopicCatalogHolder(t.getPartitions(), null);
        }
    }

    /** The derived settings, or null when the brokers' defaults apply. */
    public record TopicCatalogHolder(int partitions, TopicCatalog catalog) {

        java.util.List<org.apache.kafka.clients.admin.NewTopic> newTopics() {
            if (catalog != null) {
                return catalog.newTopics();
            }
            TopicCatalog shape = new TopicCatalog(partitions, (short) 1, 1);
            return shape.newTopics().stream().map(n -> {
                Map<String, String> configs = new java.util.HashMap<>(n.configs());
                configs.remove(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
                return new org.apache.kafka.clients.admin.NewTopic(n.name(), java.util.Optional.of(n.numPartitions()),
                        java.util.Optional.empty()).configs(configs);
            }).toList();
        }
    }

    /** Spring's KafkaAdmin creates these at start when missing, and leaves existing ones alone. */
    @Bean
    KafkaAdmin.NewTopics reformTopics(TopicCatalogHolder catalog) {
        return new KafkaAdmin.NewTopics(catalog.newTopics().toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean
    SchemaRegistryClient schemaRegistryClient(KafkaProperties kafka) {
        String url = kafka.getProperties().get(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        return new SchemaRegistryClient(url, kafka.getProperties().get(AvroSerdeConfig.BASIC_AUTH_USER_INFO), Duration.ofSeconds(3));
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer reformProducerDefaults() {
        return factory -> {
            Map<String, Object> p = new java.util.HashMap<>(ProducerDefaults.avroProducer("unused", "unused"));
            p.remove(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
            p.remove(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
            p.remove(org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
            p.remove(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
            Map<String, Object> existing = factory.getConfigurationProperties();
            p.keySet().removeIf(k -> existing.containsKey(k) && !ProducerDefaults.SAFETY.containsKey(k));
            factory.updateConfigs(p);
            if (!existing.containsKey(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)
                    || existing.get(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG).toString().contains("StringSerializer")) {
                factory.updateConfigs(Map.of(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class));
            }
        };
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "reform.catalog.follow", havingValue = "true", matchIfMissing = true)
    CatalogFollower catalogFollower(KafkaProperties kafka, SchemaRegistryClient registry, KafkaAdmin admin) {
        // Topics first (idempotent), so the follower finds the catalog topics at once.
        admin.initialize();
        return new CatalogFollower(String.join(",", kafka.getBootstrapServers()), registry, SeedCatalog.load());
    }

    @Bean
    @ConditionalOnProperty(name = "reform.catalog.follow", havingValue = "true", matchIfMissing = true)
    HealthIndicator catalogHealthIndicator(CatalogFollower follower) {
        return () -> (follower.caughtUp() ? Health.up() : Health.outOfService().withDetail("reason", "catalog not yet read"))
                .withDetail("cases", follower.current().cases().size())
                .withDetail("unreadableRecords", follower.unreadableRecords())
                .build();
    }

    @Bean
    HealthIndicator schemaRegistryHealthIndicator(SchemaRegistryClient registry) {
        return () -> {
            try {
                return Health.up().withDetail("subjects", registry.subjects().size()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getMessage()).build();
            }
        };
    }

    @Bean
    @ConditionalOnProperty(name = "reform.security.mode", havingValue = "local-hmac", matchIfMissing = true)
    JwtDecoder localHmacJwtDecoder(ReformProperties props) {
        byte[] key = props.getSecurity().getJwtSecret().getBytes(StandardCharsets.UTF_8);
        return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
    }

    /** Reads (GET) are open to everyone; every write needs a valid token. */
    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain reformSecurity(HttpSecurity http, ReformProperties props) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOriginPatterns(props.getCorsAllowedOrigins());
        cors.setAllowedMethods(java.util.List.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(java.util.List.of("*"));
        cors.setExposedHeaders(java.util.List.of("Idempotent-Replayed", "Retry-After", "Location"));
        cors.setMaxAge(3600L);
        org.springframework.web.cors.UrlBasedCorsConfigurationSource corsSource = new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
        corsSource.registerCorsConfiguration("/**", cors);
        http.cors(c -> c.configurationSource(corsSource))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/**").permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o.jwt(j -> { })
                        .authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }
}
