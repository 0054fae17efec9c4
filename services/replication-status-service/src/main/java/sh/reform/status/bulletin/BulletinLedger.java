package sh.reform.status.bulletin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.StatusSettings;

/**
 * The issued bulletins on {@code reform.bulletins}: read whole (committed records only) and written in transactions.
 *
 * <h2>Exactly one version per issue, with any number of instances</h2>
 * Every issue of a bulletin {@code batchId|period} runs in a Kafka transaction whose {@code transactional.id} is
 * derived from that key. A producer that initialises a transactional id fences every older producer with the same id
 * (its open transaction is aborted, a committed one is complete before the new producer may start), so two instances
 * issuing the same bulletin at once are serialised by the broker: the second one starts only after the first one's
 * transaction is committed or aborted, then reads the versions already on the topic (read_committed, to the end)
 * and decides inside its own transaction — the next version for a person's (re-)issue, nothing for a scheduled issue
 * that finds one already there. The bulletin and its notifications are committed together or not at all.
 */
@Component
public class BulletinLedger {

    static final String SERVICE = "replication-status-service";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final KafkaProperties kafka;
    private final StatusSettings settings;

    BulletinLedger(KafkaProperties kafka, StatusSettings settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    /** What an issue writes: the bulletin version (numbered by the ledger) and its notices. */
    public interface Draft {
        /** The record to write as version {@code version}; null reason only for version 1. */
        IssuedBulletin version(int version);

        /** The notifications announcing it (topic {@code reform.notifications}). */
        List<SpecificRecord> notices(IssuedBulletin issued);
    }

    /**
     * Issues the next version of {@code batchId|period}, or (with {@code onlyIfNone}) the first one only when there is
     * none yet. Answers the version written, or empty when {@code onlyIfNone} found one.
     */
    public Optional<IssuedBulletin> issue(String batchId, String period, boolean onlyIfNone, Draft draft) {
        String key = batchId + "|" + period;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProperties(key))) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                List<IssuedBulletin> existing = versions(batchId, period);
                if (onlyIfNone && !existing.isEmpty()) {
                    producer.abortTransaction();
                    return Optional.empty();
                }
                int next = existing.stream().mapToInt(IssuedBulletin::getVersion).max().orElse(0) + 1;
                IssuedBulletin issued = draft.version(next);
                producer.send(record(Topics.BULLETINS, issued.getBulletinKey(), issued, issued.getIssuedAt(),
                        "bulletin-" + issued.getBulletinKey()));
                for (SpecificRecord n : draft.notices(issued)) {
                    sh.reform.schema.supervision.Notification notice = (sh.reform.schema.supervision.Notification) n;
                    producer.send(record(Topics.NOTIFICATIONS, Topic.cellKey(notice.getCaseId(), notice.getDistrictCode()), notice,
                            notice.getCreatedAt(), notice.getNotificationId()));
                }
                producer.commitTransaction();
                return Optional.of(issued);
            } catch (RuntimeException e) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException ignored) {
                    // fenced or broker gone: the transaction is aborted by the coordinator anyway
                }
                throw e;
            }
        } catch (KafkaException e) {
            throw Unavailable.of(settings.getRetryAfter(), e);
        }
    }

    /** Every issued version of one bulletin, oldest first. */
    public List<IssuedBulletin> versions(String batchId, String period) {
        String prefix = batchId + "|" + period + "|v";
        return all().stream().filter(b -> b.getBulletinKey().startsWith(prefix)
                        && b.getBatchId().equals(batchId) && b.getPeriod().equals(period))
                .sorted(Comparator.comparingInt(IssuedBulletin::getVersion)).toList();
    }

    /** Every issued version of every bulletin, by key (the latest record per key: one per version). */
    public List<IssuedBulletin> all() {
        Map<String, IssuedBulletin> byKey = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.BULLETINS.name(), READ_TIMEOUT);
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("the bulletins were not read to their end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() instanceof IssuedBulletin b) {
                        byKey.put(r.key(), b);
                    } else if (r.value() == null) {
                        byKey.remove(r.key());
                    }
                }
            }
        } catch (KafkaException e) {
            throw Unavailable.of(settings.getRetryAfter(), e);
        }
        return byKey.values().stream().sorted(Comparator.comparing(IssuedBulletin::getBatchId)
                .thenComparing(IssuedBulletin::getPeriod).thenComparingInt(IssuedBulletin::getVersion)).toList();
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static ProducerRecord<String, Object> record(Topic<?> topic, String key, Object value, Instant time, String id) {
        ProducerRecord<String, Object> r = new ProducerRecord<>(topic.name(), key, value);
        CloudEventHeaders.write(r.headers(), new CloudEventHeaders.CloudEvent(
                UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString(), URI.create("/" + SERVICE),
                topic.cloudEventType(), time, key, null));
        return r;
    }

    private Map<String, Object> producerProperties(String bulletinKey) {
        Map<String, Object> p = new HashMap<>(kafka.buildProducerProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reform-bulletin-" + bulletinKey);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bulletin-issuer-" + UUID.randomUUID());
        return ProducerDefaults.enforce(p);
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(kafka.buildConsumerProperties());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        p.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bulletin-reader-" + UUID.randomUUID());
        return p;
    }
}
