package sh.reform.status;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

import sh.reform.catalog.SeedCatalog;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.shared.kafka.EventRecords;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.topics.Topics;

/**
 * The real broker and registry of this test JVM, with the platform's topics and the seed catalog
 * published on the catalog topic (as the catalog service's seed loader would), once.
 */
public final class RealInfraFixture {

    public static final List<CatalogCase> SEED_CASES = List.copyOf(SeedCatalog.load().cases());
    private static KafkaProducer<String, Object> producer;
    private static volatile String bootstrapServers;

    private RealInfraFixture() {
    }

    /** Points this JVM's fixture at other brokers (the cluster-mode tests); call before {@link #prepare()}. */
    public static synchronized void useBootstrapServers(String servers) {
        // The failsafe tests share one JVM: a producer (and a published catalog) for other brokers must not be
        // reused, or reports go to the wrong cluster. prepare() runs again for the new servers.
        if (!java.util.Objects.equals(servers, bootstrapServers)) {
            bootstrapServers = servers;
            if (producer != null) {
                producer.close();
                producer = null;
            }
        }
    }

    public static String bootstrap() {
        String servers = bootstrapServers;
        return servers != null ? servers : RealInfra.broker().bootstrapServers();
    }

    public static String registry() {
        return RealInfra.registry().confluentApiUrl();
    }

    /** Topics created and the catalog published; idempotent. */
    public static synchronized void prepare() {
        if (producer != null) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            // Replication as the cluster allows: 1 on the single test broker, 3 (min ISR 2) on a cluster.
            TopicCatalog catalog = sh.reform.shared.topics.TopicProvisioner.catalogFor(admin, TopicCatalog.singleBroker().eventPartitions());
            for (var topic : catalog.newTopics()) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitRegistry();
        producer = new KafkaProducer<>(ProducerDefaults.avroProducer(bootstrap(), registry()));
        for (CatalogCase c : SEED_CASES) {
            producer.send(new ProducerRecord<>(Topics.CATALOG_CASES.name(), c.getCaseId(), c));
        }
        producer.flush();
    }

    /**
     * The registry answers its first writes slowly on a busy machine (Quarkus and H2 warming up), slower than
     * the serializer's 3 s timeout: register the catalog's schema first with a patient client (up to 60 s).
     */
    private static void awaitRegistry() {
        var patient = new sh.reform.shared.registry.SchemaRegistryClient(registry(), null, java.time.Duration.ofSeconds(20));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                patient.register(Topics.CATALOG_CASES.name() + "-value", CatalogCase.getClassSchema());
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Sends one reported event to its topic, keyed and with CloudEvents headers, and waits for the ack. */
    public static void report(SpecificRecord event) {
        prepare();
        ProducerRecord<String, Object> record = event instanceof CaseAdoptionReported a ? EventRecords.adoption("test", a)
                : event instanceof MeasureRolloutReported r ? EventRecords.rollout("test", r)
                : event instanceof sh.reform.schema.supervision.SupervisionEvent v ? EventRecords.supervision("test", v)
                : EventRecords.outcome("test", (OutcomeReported) event);
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Sends many reported events (acks=all) and waits until all are acknowledged. */
    public static void reportAll(List<? extends SpecificRecord> events) {
        prepare();
        List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
        for (SpecificRecord event : events) {
            ProducerRecord<String, Object> record = event instanceof CaseAdoptionReported a ? EventRecords.adoption("test", a)
                    : event instanceof MeasureRolloutReported r ? EventRecords.rollout("test", r)
                    : event instanceof sh.reform.schema.supervision.SupervisionEvent v ? EventRecords.supervision("test", v)
                    : EventRecords.outcome("test", (OutcomeReported) event);
            acks.add(producer.send(record));
        }
        producer.flush();
        try {
            for (var ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Sends raw bytes (poison) to a topic. */
    public static void send(String topic, byte[] key, byte[] value) {
        prepare();
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap(),
                "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName()))) {
            raw.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
