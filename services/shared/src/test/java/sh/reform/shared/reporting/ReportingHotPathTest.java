package sh.reform.shared.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import sh.reform.catalog.FieldError;
import sh.reform.schema.common.Coverage;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.RolloutStage;
import tools.jackson.databind.json.JsonMapper;

/** The per-event shortcuts of the reporting path give exactly what the general code gave. */
class ReportingHotPathTest {

    static MeasureRolloutReported event(String id, Instant recordedAt, long covered) {
        EventEnvelope env = EventEnvelope.newBuilder().setEventId(id).setOccurredAt(Instant.parse("2026-11-20T02:00:00Z"))
                .setRecordedAt(recordedAt).setDistrictCode("310116").setCaseId("SH-2023-03")
                .setReporter(Reporter.newBuilder().setPrincipal("district-310116").setAgency("金山区发展改革委").setRole(ReporterRole.DISTRICT).build())
                .setSource(ReportSource.MANUAL_ENTRY).setNote("备注").build();
        return MeasureRolloutReported.newBuilder().setEnvelope(env).setMeasureId("SH-2023-03-M1").setStage(RolloutStage.PILOT)
                .setCoverage(Coverage.newBuilder().setCovered(covered).setTotal(30).setUnit("楼宇").build()).build();
    }

    /** The earlier implementation: a deep copy with recorded-at blanked, written by a new writer. */
    static long referenceHash(SpecificRecord event) throws Exception {
        SpecificRecord copy = (SpecificRecord) SpecificData.get().deepCopy(event.getSchema(), event);
        ReportingEngine.envelopeOf(copy).setRecordedAt(Instant.EPOCH);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(copy.getSchema()).write(copy, enc);
        enc.flush();
        return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(out.toByteArray())).getLong();
    }

    @Test
    void contentHashIsTheHashEarlierReceiptsWereStoredWithAndLeavesTheEventAsItWas() throws Exception {
        Instant recorded = Instant.parse("2026-11-25T01:02:03.456Z");
        for (int i = 0; i < 50; i++) {
            MeasureRolloutReported e = event(UUID.randomUUID().toString(), recorded, i % 30);
            MeasureRolloutReported before = MeasureRolloutReported.newBuilder(e).build();
            assertThat(ReportingEngine.contentHash(e)).isEqualTo(referenceHash(e));
            assertThat(e).isEqualTo(before);
            assertThat(e.getEnvelope().getRecordedAt()).isEqualTo(recorded);
        }
        // Recorded-at does not count; the content does.
        String id = UUID.randomUUID().toString();
        assertThat(ReportingEngine.contentHash(event(id, recorded, 3))).isEqualTo(ReportingEngine.contentHash(event(id, Instant.now(), 3)));
        assertThat(ReportingEngine.contentHash(event(id, recorded, 3))).isNotEqualTo(ReportingEngine.contentHash(event(id, recorded, 4)));
    }

    @Test
    void theShortcutForPlainOffsetDateTimesAgreesWithTheGeneralParser() {
        List<String> samples = new ArrayList<>(List.of(
                "2026-11-20T10:00:00+08:00", "2026-11-20T10:00:00Z", "2026-11-20T10:00:00-05:30", "2020-02-29T23:59:59+14:00",
                "2021-02-29T10:00:00+08:00", "2026-13-20T10:00:00+08:00", "2026-11-20T24:00:00+08:00", "2026-11-20T10:60:00+08:00",
                "2026-11-20T10:00:60+08:00", "2026-11-20T10:00:00+19:00", "2026-11-20T10:00:00+18:00", "2026-11-20T10:00:00-18:01",
                "2026-11-20T10:00:00+08:60", "2026-11-20T10:00:00-00:00", "2026-11-20 10:00:00+08:00", "2026-11-20T10:00:00+0800",
                "2026-11-20T10:00:00z", "2026-11-20T10:00:00.5+08:00", "2026-1a-20T10:00:00+08:00", "0000-01-01T00:00:00Z",
                "+026-11-20T10:00:00+08:00", "2026-11-20T10:00:00X08:00", "2026-11-31T10:00:00+08:00", "2026-11-20T10:00:00+8:00"));
        Random random = new Random(42);
        String alphabet = "0123456789-:+TZ ";
        for (int k = 0; k < 20_000; k++) {
            char[] c = "2026-11-20T10:00:00+08:00".toCharArray();
            int changes = 1 + random.nextInt(3);
            for (int j = 0; j < changes; j++) {
                c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            samples.add(new String(c));
            samples.add(new String(c, 0, 19) + "Z");
        }
        for (String s : samples) {
            Instant general;
            try {
                general = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                general = null;
            }
            Instant fast = ReportFields.plainOffsetDateTime(s);
            if (fast != null) {
                assertThat(fast).as(s).isEqualTo(general);
            }
            // Anything else (null) goes to the general parsers, so only the common form must take the shortcut.
            if (general != null && s.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d([+-]\\d\\d:\\d\\d|Z)")) {
                assertThat(fast).as(s).isEqualTo(general);
            }
        }
        assertThat(ReportFields.plainOffsetDateTime("2026-11-20T10:00:00+08:00")).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
    }

    @Test
    void aFieldIsStillReadOrRefusedAsBefore() {
        JsonMapper json = JsonMapper.builder().build();
        List<FieldError> errors = new ArrayList<>();
        ReportFields f = new ReportFields(json.readTree("""
                {"a": "2026-11-20T10:00:00+08:00", "b": "2026-02-30T10:00:00+08:00", "c": "2026-11-20 10:00", "d": "2026-11-20"}
                """), "", errors);
        assertThat(f.instant("a", true)).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
        assertThat(f.instant("b", true)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("b");
        assertThat(f.instant("c", true)).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
        assertThat(f.instant("d", true)).isEqualTo(Instant.parse("2026-11-19T16:00:00Z"));
    }

    @Test
    void settingsRefuseAnEmptyPool() {
        assertThatThrownBy(() -> new ReportingEngine.Settings(0, null, 1, 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ReportingEngine.Settings.defaults().transactionalProducers()).isBetween(2, 4);
    }

    @Test
    void theInstancePrefixIsStableForAFixedPortAndRandomForARandomOne() {
        String fixed = ReportingEngines.instancePrefix("measure-rollout-service", "8092");
        assertThat(fixed).startsWith("measure-rollout-service-").endsWith("-8092")
                .isEqualTo(ReportingEngines.instancePrefix("measure-rollout-service", "8092"));
        assertThat(ReportingEngines.instancePrefix("measure-rollout-service", "8093")).isNotEqualTo(fixed);
        assertThat(ReportingEngines.instancePrefix("measure-rollout-service", "0"))
                .isNotEqualTo(ReportingEngines.instancePrefix("measure-rollout-service", "0"));
    }
}
