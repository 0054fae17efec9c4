package sh.reform.shared.kafka;

import java.net.URI;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.cloudevents.CloudEventHeaders.CloudEvent;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;

/**
 * Builds the Kafka record of a reported event: key {@code caseId|districtCode}, the Avro value,
 * and CloudEvents headers taken from the envelope (id = event id, time = occurred-at, source =
 * the reporting service and district, subject = the cell key).
 */
public final class EventRecords {

    private EventRecords() {
    }

    public static ProducerRecord<String, Object> adoption(String service, CaseAdoptionReported e) {
        return record(Topics.CASE_ADOPTION, service, e.getEnvelope(), e);
    }

    public static ProducerRecord<String, Object> rollout(String service, MeasureRolloutReported e) {
        return record(Topics.MEASURE_ROLLOUT, service, e.getEnvelope(), e);
    }

    public static ProducerRecord<String, Object> outcome(String service, OutcomeReported e) {
        return record(Topics.OUTCOME_REPORTING, service, e.getEnvelope(), e);
    }

    public static ProducerRecord<String, Object> supervision(String service, SupervisionEvent e) {
        return record(Topics.SUPERVISION, service, e.getEnvelope(), e);
    }

    /** The record of any event with an envelope, on its topic. */
    public static ProducerRecord<String, Object> record(Topic<?> topic, String service, EventEnvelope env, Object value) {
        String key = Topic.cellKey(env.getCaseId(), env.getDistrictCode());
        ProducerRecord<String, Object> r = new ProducerRecord<>(topic.name(), key, value);
        Instant time = env.getOccurredAt();
        CloudEventHeaders.write(r.headers(), new CloudEvent(env.getEventId(),
                URI.create("/reform/" + service + "/" + env.getDistrictCode()), topic.cloudEventType(), time, key, null));
        return r;
    }
}
