package sh.reform.status.query;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import sh.reform.shared.topics.Topics;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.StatusSettings;

/**
 * The partitions of the event topics (co-partitioned, so also of the cell store) and the partition of a
 * cell key, computed here rather than asked of Kafka Streams per key.
 *
 * <p>The reporting services publish with the producer's default partitioner and a String key, and
 * Kafka Streams' own key lookup ({@code queryMetadataForKey} with a String serializer) uses the same
 * rule: {@code toPositive(murmur2(utf8(key))) % partitions}. A matrix page reads up to 250,000 cells;
 * asking Streams' metadata for each (a synchronized walk over every instance's assignment) cost more than
 * reading the cell. Callers check one key per request against Streams' answer ({@link #agrees}), so a
 * topic that was ever written with another partitioner is noticed, not silently misread.
 */
@Component
class EventPartitions {

    private final KafkaAdmin admin;
    private final StatusSettings settings;
    private final AtomicInteger count = new AtomicInteger();

    EventPartitions(KafkaAdmin admin, StatusSettings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    /** How many partitions the event topics have, asked once; 503 while the cluster cannot say. */
    int count() {
        int known = count.get();
        if (known > 0) {
            return known;
        }
        try {
            Map<String, TopicDescription> d = admin.describeTopics(Topics.CASE_ADOPTION.name());
            int n = d.get(Topics.CASE_ADOPTION.name()).partitions().size();
            count.set(n);
            return n;
        } catch (RuntimeException e) {
            throw NotQueryable.of(settings.getRetryAfter(), e);
        }
    }

    /** The partition of a cell key, as the producers and Kafka Streams place it. */
    static int of(String cellKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(cellKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Whether {@link #of} agrees with the partition Kafka Streams gives for {@code cellKey}. */
    static boolean agrees(String cellKey, int partitions, int streamsPartition) {
        return of(cellKey, partitions) == streamsPartition;
    }
}
