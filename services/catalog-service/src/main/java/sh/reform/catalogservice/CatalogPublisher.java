package sh.reform.catalogservice;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.cloudevents.CloudEventHeaders.CloudEvent;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.shared.web.ApiProblemException;

/**
 * Publishes catalog changes to the compacted catalog topics in one Kafka transaction (a batch
 * lands whole or not at all), then waits until the catalog follower has read them back, so that
 * a read right after a write sees it.
 */
@Component
class CatalogPublisher {

    private static final Logger log = LoggerFactory.getLogger(CatalogPublisher.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final KafkaTemplate<String, Object> kafka;
    private final CatalogFollower follower;

    CatalogPublisher(KafkaTemplate<String, Object> kafka, CatalogFollower follower) {
        this.kafka = kafka;
        this.follower = follower;
    }

    /** Publishes the batches and cases together; throws 503 when the broker or registry is unavailable. */
    void publish(List<CatalogBatch> batches, List<CatalogCase> cases) {
        if (batches.isEmpty() && cases.isEmpty()) {
            return;
        }
        try {
            kafka.executeInTransaction(ops -> {
                for (CatalogBatch b : batches) {
                    ops.send(record(Topics.CATALOG_BATCHES, b.getBatchId(), b, b.getChangedAt()));
                }
                for (CatalogCase c : cases) {
                    ops.send(record(Topics.CATALOG_CASES, c.getCaseId(), c, c.getChangedAt()));
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("catalog publication failed: {}", e.toString());
            throw ApiProblemException.unavailable(RETRY_AFTER, e);
        }
        awaitVisible(cases);
    }

    private void awaitVisible(List<CatalogCase> cases) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = cases.stream().allMatch(c -> follower.current().caseById(c.getCaseId())
                    .map(x -> x.getVersion() >= c.getVersion()).orElse(false));
            if (all) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("published catalog change not yet visible to the follower after 5 s");
    }

    private static ProducerRecord<String, Object> record(Topic<?> topic, String key, Object value, Instant time) {
        ProducerRecord<String, Object> r = new ProducerRecord<>(topic.name(), key, value);
        CloudEventHeaders.write(r.headers(), new CloudEvent(key + "@" + time.toEpochMilli(),
                URI.create("/reform/catalog-service"), topic.cloudEventType(), time, key, null));
        return r;
    }
}
