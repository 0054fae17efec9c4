package sh.reform.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.test.context.DynamicPropertyRegistry;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.SeedCatalog;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.topics.Topics;

/**
 * Test support for the services: real infrastructure properties, the seed catalog on the
 * catalog topic (published once per JVM, as the catalog service's loader would), tokens, HTTP
 * calls, and a look at what a topic holds.
 */
public final class TestPlatform {

    public static final HttpClient HTTP = HttpClient.newHttpClient();
    private static boolean catalogPublished;
    private static volatile String bootstrapServers;

    private TestPlatform() {
    }

    /**
     * Points this JVM's test platform at other brokers (e.g. {@code RealInfra.cluster().bootstrapServers()}
     * for the cluster-mode tests); call before anything else. Default: {@code RealInfra.broker()}.
     */
    public static void useBootstrapServers(String servers) {
        bootstrapServers = servers;
    }

    /** The brokers the tests of this JVM use. */
    public static String bootstrapServers() {
        String servers = bootstrapServers;
        return servers != null ? servers : RealInfra.broker().bootstrapServers();
    }

    public static void kafkaProperties(DynamicPropertyRegistry r) {
        r.add("spring.kafka.bootstrap-servers", TestPlatform::bootstrapServers);
        r.add("spring.kafka.properties.schema.registry.url", () -> RealInfra.registry().confluentApiUrl());
    }

    /** Publishes the seed catalog (version 1 of every case and batch) once per JVM. */
    public static synchronized Catalog publishSeedCatalog() {
        Catalog seed = SeedCatalog.load();
        if (catalogPublished) {
            return seed;
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            sh.reform.shared.topics.TopicProvisioner.ensure(admin);
        }
        registerPatiently();
        try (KafkaProducer<String, Object> p = new KafkaProducer<>(ProducerDefaults.avroProducer(
                bootstrapServers(), RealInfra.registry().confluentApiUrl()))) {
            Instant at = Instant.parse("2023-11-30T02:00:00Z");
            for (CatalogBatch b : seed.batches()) {
                p.send(new ProducerRecord<>(Topics.CATALOG_BATCHES.name(), b.getBatchId(),
                        CatalogBatch.newBuilder(b).setChangedAt(at).build()));
            }
            for (CatalogCase c : seed.cases()) {
                p.send(new ProducerRecord<>(Topics.CATALOG_CASES.name(), c.getCaseId(),
                        CatalogCase.newBuilder(c).setChangedAt(at).build()));
            }
            p.flush();
        }
        catalogPublished = true;
        return seed;
    }

    /**
     * The registry answers its first writes slowly on a busy machine (Quarkus and H2 warming up), slower than
     * the serializer's 3 s timeout: register the catalog's schemas first with a patient client (up to 60 s).
     */
    private static void registerPatiently() {
        var patient = new sh.reform.shared.registry.SchemaRegistryClient(RealInfra.registry().confluentApiUrl(), null,
                Duration.ofSeconds(20));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                patient.register(Topics.CATALOG_BATCHES.name() + "-value", CatalogBatch.getClassSchema());
                patient.register(Topics.CATALOG_CASES.name() + "-value", CatalogCase.getClassSchema());
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    public static String districtToken(String code) {
        return LocalTokens.district(LocalTokens.LOCAL_SECRET, code, code + " 发展改革委", Duration.ofHours(1));
    }

    public static String cityOfficeToken() {
        return LocalTokens.cityOffice(LocalTokens.LOCAL_SECRET, "city-office-test", Duration.ofHours(1));
    }

    public static HttpResponse<String> send(int port, String method, String path, String token, String json, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed: " + e, e);
        }
    }

    /** A multipart/form-data upload of one file (field "file"). */
    public static HttpResponse<String> upload(int port, String path, String token, String filename, byte[] content) {
        String boundary = "----reform" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("upload failed: " + e, e);
        }
    }

    /**
     * How many data records a topic holds, committed or not: unchanged means nothing was written.
     * See {@link PublishedRecords}.
     */
    public static long published(String topic) {
        try (PublishedRecords records = new PublishedRecords(topic)) {
            return records.count();
        }
    }

    /**
     * Counts the data records written to a topic, reading on from where the last count stopped.
     * Records, not end offsets: a committed transaction's markers take offsets too, and they can
     * land after the 202 answer (under load, well after it), so an end offset that moved is no
     * proof that the last request wrote something. Reads {@code read_uncommitted}, so a record of a
     * transaction that was later aborted still counts as written. One thread at a time.
     */
    public static final class PublishedRecords implements AutoCloseable {

        private final String topic;
        private final KafkaConsumer<byte[], byte[]> reader;
        private final List<TopicPartition> partitions;
        private long seen;

        public PublishedRecords(String topic) {
            this.topic = topic;
            this.reader = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
            this.partitions = reader.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }

        /** Data records written to the topic so far: reads up to its current end. */
        public synchronized long count() {
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to " + end);
                }
                seen += reader.poll(Duration.ofMillis(100)).count();
            }
            return seen;
        }

        @Override
        public synchronized void close() {
            reader.close();
        }
    }

    /** Every committed record of a topic, raw. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = rawConsumer()) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && !end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    private static KafkaConsumer<byte[], byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    public static void assertStatus(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }
}
