package sh.reform.status.query;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.Districts;
import sh.reform.status.StatusSettings;
import sh.reform.status.fold.CatalogView;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.StatusFold;
import sh.reform.status.fold.SupervisionRules;
import sh.reform.status.topology.ReportIntake;
import sh.reform.status.topology.StatusStreams;

/**
 * The oracle of the as-of queries, kept for the tests: the queries themselves look the history up
 * ({@link CellStatusSource#versionsAsOf}) instead of replaying. The status as it stood at a past instant, computed
 * the slow and certain way: a bounded read of the
 * event topics from the beginning to their current end (committed records only), through the same door
 * ({@link ReportIntake}) and the same fold as the live topology, keeping the events that occurred at or
 * before the instant, with health evaluated at it.
 *
 * <p>"As it stood" means as the log now tells it: a report that arrived late about an earlier fact
 * counts at the time the fact occurred, as it does in the live status. The replay reads every partition
 * itself and needs no other instance, so it answers the same on any instance.
 */
@Component
public class AsOfReplay {

    private static final Map<String, Topic<?>> EVENT_TOPICS = Topics.EVENTS.stream()
            .collect(Collectors.toUnmodifiableMap(Topic::name, Function.identity()));

    private final KafkaProperties kafka;
    private final StatusStreams streams;
    private final HealthRules rules;
    private final Districts districts;
    private final StatusSettings settings;

    private final SupervisionRules supervision;

    AsOfReplay(KafkaProperties kafka, StatusStreams streams, HealthRules rules, Districts districts, StatusSettings settings,
               SupervisionRules supervision) {
        this.supervision = supervision;
        this.kafka = kafka;
        this.streams = streams;
        this.rules = rules;
        this.districts = districts;
        this.settings = settings;
    }

    /** Which cells to replay: one cell (only its partition is read), or the cells of some cases (all when empty). */
    public record Scope(Optional<String> cellKey, Set<String> caseIds) {
        public static Scope cell(String caseId, String districtCode) {
            return new Scope(Optional.of(Topic.cellKey(caseId, districtCode)), Set.of());
        }

        public static Scope cases(Set<String> caseIds) {
            return new Scope(Optional.empty(), Set.copyOf(caseIds));
        }

        boolean includes(String cellKey, String caseId) {
            return this.cellKey.map(cellKey::equals).orElse(caseIds.isEmpty() || caseIds.contains(caseId));
        }
    }

    /** The status of every cell in scope with an event at or before {@code asOf}, by cell key. */
    public Map<String, ReplicationStatus> statuses(Instant asOf, CatalogView catalog, Scope scope) {
        ReportIntake intake = new ReportIntake(streams.avroReader(), catalog, districts.codes());
        Map<String, CellEvents> events = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = partitions(consumer, scope);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + settings.getReplayTimeout().toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw NotQueryable.of(settings.getRetryAfter(), new IllegalStateException(
                            "the replay did not reach the end of the event topics within " + settings.getReplayTimeout()));
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // arrived after the replay began: not part of this answer
                    }
                    if (intake.read(EVENT_TOPICS.get(r.topic()), r.key(), r.value()) instanceof ReportIntake.Accepted a
                            && scope.includes(a.cellKey(), a.envelope().getCaseId())
                            && !a.envelope().getOccurredAt().isAfter(asOf)) {
                        events.computeIfAbsent(a.cellKey(), k -> new CellEvents(a.envelope().getCaseId(),
                                a.envelope().getDistrictCode(), new ArrayList<>())).events().add(a.event());
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw NotQueryable.of(settings.getRetryAfter(), e);
        }
        StatusFold fold = new StatusFold(catalog, rules, supervision);
        Map<String, ReplicationStatus> out = new LinkedHashMap<>();
        events.forEach((key, cell) -> out.put(key,
                fold.foldAll(cell.caseId(), cell.districtCode(), cell.events(), asOf).toStatus()));
        return out;
    }

    private record CellEvents(String caseId, String districtCode, List<SpecificRecord> events) {
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(kafka.buildConsumerProperties());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "replication-status-as-of-" + System.nanoTime());
        return p;
    }

    /** Every partition of the event topics; for one cell only the partition its key goes to. */
    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Scope scope) {
        List<TopicPartition> out = new ArrayList<>();
        for (Topic<?> topic : Topics.EVENTS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
            if (scope.cellKey().isPresent()) {
                // The producers' default partitioner: murmur2 of the key bytes.
                byte[] key = scope.cellKey().get().getBytes(StandardCharsets.UTF_8);
                out.add(new TopicPartition(topic.name(), Utils.toPositive(Utils.murmur2(key)) % infos.size()));
            } else {
                infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
