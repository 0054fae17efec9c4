package sh.reform.shared.serde;

import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A typed serde of one generated record class, for Kafka Streams and typed consumers. */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final AvroSerializer serializer = new AvroSerializer();
    private final AvroDeserializer deserializer = new AvroDeserializer();

    public SpecificAvroSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> c = new HashMap<>(configs);
        c.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serializer.configure(c, isKey);
        deserializer.configure(c, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> serializer.serialize(topic, data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            Object o = deserializer.deserialize(topic, data);
            if (o != null && !type.isInstance(o)) {
                throw new SerializationException("expected " + type.getSimpleName() + " on '" + topic + "' but got "
                        + o.getClass().getName());
            }
            return type.cast(o);
        };
    }
}
