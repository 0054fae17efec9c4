package sh.reform.shared.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(data, schema).write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not write " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DatumWriter<Object> writerFor(Object data, Schema schema) {
        return data instanceof SpecificRecord ? (DatumWriter) new SpecificDatumWriter<>(schema)
                : new GenericDatumWriter<>(schema);
    }
}
