package sh.reform.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import sh.reform.local.infra.RealInfra;
import org.junit.jupiter.api.Test;

import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.kafka.EventRecords;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.registry.IncompatibleSchemaException;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.topics.TopicProvisioner;
import sh.reform.shared.topics.Topics;

/** The serde, the registry client and the CloudEvents headers against a real broker and a real registry. */
class SerdeAgainstRealRegistryTest {

    static String bootstrap;
    static String registryUrl;

    @BeforeAll
    static void infra() {
        bootstrap = RealInfra.broker().bootstrapServers();
        registryUrl = RealInfra.registry().confluentApiUrl();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.ensure(admin, TopicCatalog.singleBroker());
        }
    }

    @Test
    void writesAndReadsBackAnAdoptionWithCloudEventHeadersAndRegistersTheSubject() throws Exception {
        CaseAdoptionReported sent = Fixtures.adoption("SH-2023-01", "310116");
        RecordMetadata meta;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(ProducerDefaults.avroProducer(bootstrap, registryUrl))) {
            meta = producer.send(EventRecords.adoption("case-adoption-service", sent)).get();
        }
        ConsumerRecord<String, Object> got = readOne(Topics.CASE_ADOPTION.name(), meta.partition(), meta.offset(), true);

        assertThat(got.key()).isEqualTo("SH-2023-01|310116");
        assertThat(got.value()).isInstanceOf(CaseAdoptionReported.class).isEqualTo(sent);
        assertThat(got.value().toString()).contains("金山区市场监管局");
        var ce = CloudEventHeaders.read(got.headers()).orElseThrow();
        assertThat(ce.id()).isEqualTo(sent.getEnvelope().getEventId());
        assertThat(ce.type()).isEqualTo("sh.reform.case-adoption.reported.v1");
        assertThat(ce.source().toString()).isEqualTo("/reform/case-adoption-service/310116");
        assertThat(ce.time()).isEqualTo(sent.getEnvelope().getOccurredAt());
        assertThat(ce.subject()).isEqualTo("SH-2023-01|310116");
        assertThat(CloudEventHeaders.get(got.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(CloudEventHeaders.get(got.headers(), "content-type")).isEqualTo("application/avro");

        byte[] raw = readRaw(Topics.CASE_ADOPTION.name(), meta.partition(), meta.offset());
        assertThat(raw[0]).as("Confluent magic byte").isEqualTo((byte) 0);

        assertThat(new SchemaRegistryClient(registryUrl).subjects()).contains("reform.case-adoption-value");
    }

    @Test
    void genericReaderGetsTheWriterSchemaWhenSpecificReaderIsOff() throws Exception {
        CaseAdoptionReported sent = Fixtures.adoption("SH-2023-02", "310106");
        RecordMetadata meta;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(ProducerDefaults.avroProducer(bootstrap, registryUrl))) {
            meta = producer.send(EventRecords.adoption("case-adoption-service", sent)).get();
        }
        Object value = readOne(Topics.CASE_ADOPTION.name(), meta.partition(), meta.offset(), false).value();
        assertThat(value).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) value).get("decision").toString()).isEqualTo("ADOPTED");
    }

    @Test
    void registryRefusesAnIncompatibleChangeNamingTheField() {
        SchemaRegistryClient client = new SchemaRegistryClient(registryUrl);
        String subject = "compat-" + UUID.randomUUID() + "-value";
        client.setCompatibility(subject, "BACKWARD");
        Schema v1 = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredString("metricId").requiredDouble("value").endRecord();
        Schema v2 = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredString("metricId").requiredDouble("value").requiredString("verifiedBy").endRecord();
        int id = client.register(subject, v1);
        assertThat(client.getById(id)).isEqualTo(v1);

        assertThatThrownBy(() -> client.register(subject, v2))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining(subject)
                .hasMessageContaining("verifiedBy");
        assertThat(client.latest(subject).orElseThrow().id()).isEqualTo(id);
    }

    @Test
    void serializerSurfacesTheRefusalAsSerializationException() {
        String topic = "compat-topic-" + UUID.randomUUID();
        SchemaRegistryClient client = new SchemaRegistryClient(registryUrl);
        client.setCompatibility(topic + "-value", "BACKWARD");
        Schema v1 = SchemaBuilder.record("R").namespace("t").fields().requiredString("a").endRecord();
        Schema v2 = SchemaBuilder.record("R").namespace("t").fields().requiredString("a").requiredInt("b").endRecord();
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        GenericRecord r1 = new GenericData.Record(v1);
        r1.put("a", "x");
        serializer.serialize(topic, r1);
        GenericRecord r2 = new GenericData.Record(v2);
        r2.put("a", "x");
        r2.put("b", 1);
        assertThatThrownBy(() -> serializer.serialize(topic, r2))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("field 'b'");
    }

    @Test
    void deserializerRefusesBytesNotInTheWireFormat() {
        AvroDeserializer d = new AvroDeserializer(new SchemaRegistryClient(registryUrl), true);
        assertThatThrownBy(() -> d.deserialize("t", "not avro".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
    }

    @Test
    void unreachableRegistryFailsFast() {
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1/apis/ccompat/v7"), false);
        long start = System.nanoTime();
        assertThatThrownBy(() -> serializer.serialize("t", Fixtures.adoption("SH-2023-01", "310116")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    static ConsumerRecord<String, Object> readOne(String topic, int partition, long offset, boolean specific) {
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, specific);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(c)) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            List<ConsumerRecord<String, Object>> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 15_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertThat(got).isNotEmpty();
            return got.get(0);
        }
    }

    static byte[] readRaw(String topic, int partition, long offset) {
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    return r.value();
                }
            }
            throw new AssertionError("nothing read");
        }
    }
}
