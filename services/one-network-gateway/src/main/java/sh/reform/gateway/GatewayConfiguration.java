package sh.reform.gateway;

import java.time.Clock;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import sh.reform.gateway.mapping.Mapping;
import sh.reform.gateway.mapping.MappingStore;
import sh.reform.gateway.outbound.DeadLetter;
import sh.reform.gateway.outbound.StatusFeed;
import sh.reform.gateway.outbound.Subscription;
import sh.reform.gateway.outbound.Subscriptions;
import sh.reform.gateway.outbound.WebhookDispatcher;
import sh.reform.gateway.reporting.ReportingClient;
import sh.reform.gateway.review.ReviewItem;
import sh.reform.gateway.review.ReviewQueue;
import sh.reform.gateway.signing.AppRegistry;
import sh.reform.gateway.store.KafkaJsonStore;
import sh.reform.gateway.store.Stores;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.config.ReformPlatformAutoConfiguration.TopicCatalogHolder;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.registry.SchemaRegistryClient;

/** The gateway's parts and their tables, wired once. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    ReportingClient reportingClient(GatewaySettings settings, ReformProperties reform) {
        return new ReportingClient(settings.reporting(), reform.getSecurity().getJwtSecret());
    }

    @Bean
    KafkaJsonStore<Mapping> mappingTable(KafkaAdmin admin, KafkaProperties kafka, TopicCatalogHolder topics, GatewaySettings s) {
        return Stores.open(admin, kafka, topics, s.topics().mappings(), Mapping.class);
    }

    @Bean
    MappingStore mappingStore(KafkaJsonStore<Mapping> mappingTable, CatalogFollower catalog) {
        return new MappingStore(mappingTable, catalog, Clock.systemUTC());
    }

    @Bean
    KafkaJsonStore<ReviewItem> reviewTable(KafkaAdmin admin, KafkaProperties kafka, TopicCatalogHolder topics, GatewaySettings s) {
        return Stores.open(admin, kafka, topics, s.topics().review(), ReviewItem.class);
    }

    @Bean
    ReviewQueue reviewQueue(KafkaJsonStore<ReviewItem> reviewTable, MappingStore mappings, ReportingClient reporting, GatewayMeters meters) {
        return new ReviewQueue(reviewTable, mappings, reporting, meters, Clock.systemUTC());
    }

    @Bean
    KafkaJsonStore<Subscription> subscriptionTable(KafkaAdmin admin, KafkaProperties kafka, TopicCatalogHolder topics, GatewaySettings s) {
        return Stores.open(admin, kafka, topics, s.topics().subscriptions(), Subscription.class);
    }

    @Bean
    KafkaJsonStore<DeadLetter> deadLetterTable(KafkaAdmin admin, KafkaProperties kafka, TopicCatalogHolder topics, GatewaySettings s) {
        return Stores.open(admin, kafka, topics, s.topics().deadLetters(), DeadLetter.class);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(KafkaJsonStore<DeadLetter> deadLetterTable, GatewaySettings settings, GatewayMeters meters) {
        return new WebhookDispatcher(deadLetterTable, settings.outbound(), meters);
    }

    @Bean
    Subscriptions subscriptions(KafkaJsonStore<Subscription> subscriptionTable, WebhookDispatcher dispatcher, CatalogFollower catalog) {
        return new Subscriptions(subscriptionTable, dispatcher, catalog, Clock.systemUTC());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "reform.gateway.outbound.enabled", havingValue = "true", matchIfMissing = true)
    StatusFeed statusFeed(KafkaProperties kafka, SchemaRegistryClient registry, WebhookDispatcher dispatcher,
                          KafkaJsonStore<Subscription> subscriptionTable, GatewaySettings settings, KafkaAdmin admin) {
        admin.initialize();
        return new StatusFeed(String.join(",", kafka.getBootstrapServers()), settings.outbound().consumerGroup(), registry, dispatcher,
                subscriptionTable::view, settings.outbound().maxQueued());
    }

    /** Ready once every table is read and the status feed delivers; the apps file's problem, if any, is shown. */
    @Bean
    HealthIndicator gatewayHealthIndicator(KafkaJsonStore<Mapping> mappingTable, KafkaJsonStore<ReviewItem> reviewTable,
                                           KafkaJsonStore<Subscription> subscriptionTable, KafkaJsonStore<DeadLetter> deadLetterTable,
                                           AppRegistry apps, org.springframework.beans.factory.ObjectProvider<StatusFeed> feed) {
        return () -> {
            boolean tables = mappingTable.caughtUp() && reviewTable.caughtUp() && subscriptionTable.caughtUp() && deadLetterTable.caughtUp();
            StatusFeed f = feed.getIfAvailable();
            boolean live = f == null || f.live();
            Health.Builder b = tables && live ? Health.up() : Health.outOfService().withDetail("reason", "reading the gateway's tables or the status topic");
            b.withDetail("mappings", mappingTable.size()).withDetail("reviewItems", reviewTable.size())
                    .withDetail("subscriptions", subscriptionTable.size()).withDetail("deadLetters", deadLetterTable.size())
                    .withDetail("apps", apps.size());
            if (apps.problem() != null) {
                b.withDetail("appsFile", apps.problem());
            }
            if (f != null) {
                b.withDetail("statusChangesInFlight", f.inFlight());
            }
            return b.build();
        };
    }
}
