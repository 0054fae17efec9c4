package sh.reform.notify.inbox;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import sh.reform.notify.NotificationSettings;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.web.ApiProblemException;

/**
 * Writes follows and read marks to their compacted topics ({@code acks=all}, idempotent) and waits
 * until this instance's global store shows the write, so the next read of the caller sees it. A broker
 * or registry that does not answer is 503 with {@code Retry-After}.
 */
@Component
public class TableWriter implements AutoCloseable {

    private final KafkaProducer<String, Object> producer;
    private final NotificationSettings settings;

    public TableWriter(KafkaProperties kafka, NotificationSettings settings) {
        this.producer = new KafkaProducer<>(ProducerDefaults.avroProducer(String.join(",", kafka.getBootstrapServers()),
                kafka.getProperties().get(AvroSerdeConfig.SCHEMA_REGISTRY_URL)));
        this.settings = settings;
    }

    /** Writes (a null value: a tombstone) and waits for {@code visible}. */
    public void write(String topic, String key, SpecificRecord value, BooleanSupplier visible) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblemException.unavailable(Duration.ofSeconds(5), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw ApiProblemException.unavailable(Duration.ofSeconds(5), e);
        }
        long deadline = System.nanoTime() + settings.getReadYourWrites().toNanos();
        while (!visible.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                // Written and acknowledged; this instance is just slow to see it. Not an error for the caller.
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
