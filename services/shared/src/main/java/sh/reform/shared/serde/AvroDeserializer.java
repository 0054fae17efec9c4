package sh.reform.shared.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import sh.reform.shared.registry.SchemaRegistryClient;

/**
 * Reads records in the Confluent wire format (see {@link AvroSerializer}). The writer's schema
 * comes from the registry by id; with {@code specific.avro.reader=true} the record is resolved
 * against the generated class's schema (so a newer reader reads older data, BACKWARD), otherwise
 * a GenericRecord in the writer's schema is returned.
 *
 * <p>A payload that is not in the wire format, or whose schema id the registry does not know,
 * raises {@link SerializationException}: consumers route such records to the dead-letter topic.
 */
public class AvroDeserializer implements Deserializer<Object> {

    private SchemaRegistryClient registry;
    private boolean specific;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    public AvroDeserializer() {
    }

    public AvroDeserializer(SchemaRegistryClient registry, boolean specific) {
        this.registry = registry;
        this.specific = specific;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig c = new AvroSerdeConfig(configs, isKey);
        this.registry = c.client();
        this.specific = c.specificReader;
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 5 || data[0] != AvroSerializer.MAGIC_BYTE) {
            throw new SerializationException("record on '" + topic + "' is not in the Confluent Avro wire format"
                    + " (unknown magic byte or too short: " + data.length + " bytes)");
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        try {
            DatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
            return reader.read(null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not read Avro record with schema id " + id + " on '" + topic
                    + "': " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private DatumReader<Object> readerFor(int id) {
        Schema writer = registry.getById(id);
        if (specific) {
            Class<?> type = SpecificData.get().getClass(writer);
            if (type != null) {
                Schema reader = SpecificData.get().getSchema(type);
                return (DatumReader) new SpecificDatumReader<>(writer, reader);
            }
        }
        return new GenericDatumReader<>(writer);
    }
}
