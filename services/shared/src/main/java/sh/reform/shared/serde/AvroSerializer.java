package sh.reform.shared.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import sh.reform.shared.registry.SchemaRegistryClient;

/**
 * Writes Avro records in the Confluent wire format: magic byte 0, the 4-byte big-endian schema
 * id, then Avro binary. The subject is {@code <topic>-value} (or {@code -key}), Confluent's
 * TopicNameStrategy. Configured with Confluent's property names (see {@link AvroSerdeConfig}); a
 * deployment may replace it with {@code io.confluent.kafka.serializers.KafkaAvroSerializer} by
 * changing only the class name — Confluent's jars are not on the registry this project builds
 * from, which is why this one exists.
 *
 * <p>Registry failures surface as {@link SerializationException} with the registry's error as
 * cause, so that a producer's {@code send} fails fast and the caller can answer 503.
 */
public class AvroSerializer implements Serializer<Object> {

    static final byte MAGIC_BYTE = 0;

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;

    public AvroSerializer() {
    }

    /** For code that builds its own client (tests, tools). */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig c = new AvroSerdeConfig(configs, isKey);
        this.registry = c.client();
        this.autoRegister = c.autoRegister;
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("not an Avro record: " + data.getClass().getName());
        }
        Schema schema = container.getSchema();
        String subject = topic + (isKey ? "-key" : "-value");
        Prepared prepared = prepared(subject, schema, data);
        int id = prepared.id();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            prepared.writer().write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not write " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The schema id and a writer for one subject and one schema object: looked up once, not per record. */
    private record Prepared(int id, DatumWriter<Object> writer) {
    }

    /** Keyed by subject and schema <em>identity</em>: a record class's schema is one object for the life of the JVM. */
    private record PreparedKey(String subject, Schema schema) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PreparedKey k && k.subject.equals(subject) && k.schema == schema;
        }

        @Override
        public int hashCode() {
            return subject.hashCode() * 31 + System.identityHashCode(schema);
        }
    }

    /** Bounded: generic records parsed at run time may bring new schema objects; then the cache starts over. */
    private static final int MAX_PREPARED = 1024;
    private final Map<PreparedKey, Prepared> prepared = new ConcurrentHashMap<>();

    /*
     * Rendering the schema as JSON to find its id in the registry client's cache took ~40% of the status
     * service's fold time (one toString per record); this cache makes the per-record cost a hash lookup.
     */
    private Prepared prepared(String subject, Schema schema, Object data) {
        PreparedKey key = new PreparedKey(subject, schema);
        Prepared p = prepared.get(key);
        if (p != null) {
            return p;
        }
        int id;
        try {
            id = autoRegister ? registry.register(subject, schema)
                    : registry.lookup(subject, schema).orElseThrow(() -> new SerializationException(
                            "schema " + schema.getFullName() + " is not registered under subject '" + subject
                                    + "' and auto.register.schemas=false"));
        } catch (RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("could not get a schema id for subject '" + subject + "': " + e.getMessage(), e);
        }
        if (prepared.size() >= MAX_PREPARED) {
            prepared.clear();
        }
        p = new Prepared(id, writerFor(data, schema));
        prepared.put(key, p);
        return p;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DatumWriter<Object> writerFor(Object data, Schema schema) {
        return data instanceof SpecificRecord ? (DatumWriter) new SpecificDatumWriter<>(schema)
                : new GenericDatumWriter<>(schema);
    }
}
