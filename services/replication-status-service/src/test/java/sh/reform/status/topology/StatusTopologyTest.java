package sh.reform.status.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.status.Reported.adoption;
import static sh.reform.status.Reported.at;
import static sh.reform.status.Reported.outcome;
import static sh.reform.status.Reported.rollout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import sh.reform.catalog.Jurisdiction;
import sh.reform.catalog.SeedCatalog;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;
import sh.reform.shared.serde.SpecificAvroSerde;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.CatalogView;
import sh.reform.status.fold.CellState;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.StatusFold;

/**
 * The service's own topology on Kafka Streams' test driver: no broker, the real schema registry for
 * the Avro serdes, time driven explicitly.
 */
class StatusTopologyTest {

    static final String CASE = "SH-2023-01";
    static final String M1 = CASE + "-M1";
    static final String M2 = CASE + "-M2";
    static final String XUHUI = "310104";
    static final String KEY = Topic.cellKey(CASE, XUHUI);
    static final Instant START = at("2026-01-10T09:00");
    static final List<CatalogCase> SEED_CASES = List.copyOf(SeedCatalog.load().cases());
    static final StatusFold FOLD = new StatusFold(CatalogView.of(SEED_CASES), HealthRules.defaults());

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    SimpleMeterRegistry meters;
    AvroSerializer avro;
    TestOutputTopic<String, ReplicationStatus> statuses;
    TestOutputTopic<String, StatusAlert> alerts;
    Map<Topic<?>, TestOutputTopic<byte[], byte[]>> deadLetters;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, RealInfra.registry().confluentApiUrl());
        StatusTopology.Settings settings = new StatusTopology.Settings(serde, HealthRules.defaults(), Duration.ofSeconds(30),
                SeedCatalog.load().districts().stream().map(Jurisdiction::code).collect(Collectors.toSet()));
        meters = new SimpleMeterRegistry();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replication-status-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("streams")).toString());
        driver = new TopologyTestDriver(StatusTopology.build(settings, new FoldMetrics(meters)), props, START);

        avro = new AvroSerializer();
        avro.configure(serde, false);
        SpecificAvroSerde<ReplicationStatus> statusSerde = new SpecificAvroSerde<>(ReplicationStatus.class);
        statusSerde.configure(serde, false);
        SpecificAvroSerde<StatusAlert> alertSerde = new SpecificAvroSerde<>(StatusAlert.class);
        alertSerde.configure(serde, false);
        statuses = driver.createOutputTopic(Topics.REPLICATION_STATUS.name(), new StringDeserializer(), statusSerde.deserializer());
        alerts = driver.createOutputTopic(Topics.STATUS_ALERTS.name(), new StringDeserializer(), alertSerde.deserializer());
        deadLetters = Topics.EVENTS.stream().collect(Collectors.toMap(t -> t, t -> driver.createOutputTopic(
                t.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer())));

        TestInputTopic<String, Object> catalog = driver.createInputTopic(Topics.CATALOG_CASES.name(), new StringSerializer(), avro);
        SEED_CASES.forEach(c -> catalog.pipeInput(c.getCaseId(), c));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void eventsFoldIntoStatusOnTheStatusTopicAndInTheStore() {
        List<SpecificRecord> events = List.of(
                adoption("a1", CASE, XUHUI, at("2026-01-05"), AdoptionDecision.ADOPTED, LocalDate.parse("2026-12-31"), M1, M2),
                rollout("r1", CASE, XUHUI, at("2026-01-06"), M1, RolloutStage.PILOT),
                rollout("r2", CASE, XUHUI, at("2026-01-08"), M1, RolloutStage.LIVE));
        events.forEach(this::report);

        List<ReplicationStatus> published = statuses.readValuesToList();
        assertThat(published).extracting(ReplicationStatus::getOverallStage)
                .containsExactly(OverallStage.ADOPTED, OverallStage.ROLLING_OUT, OverallStage.ROLLING_OUT);
        ReplicationStatus expected = FOLD.foldAll(CASE, XUHUI, events, START).toStatus();
        assertSameStatus(published.get(2), expected);
        assertThat(expected.getMeasuresLive()).isEqualTo(1);
        assertThat(expected.getMeasuresPlanned()).isEqualTo(2);
        assertThat(expected.getHealth()).isEqualTo(Health.GREEN);
        assertSameStatus(storedStatus(), expected);

        // The first evaluation turned the cell from UNKNOWN to GREEN: one alert, then none.
        List<StatusAlert> raised = alerts.readValuesToList();
        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.getPreviousHealth()).isEqualTo(Health.UNKNOWN);
            assertThat(a.getHealth()).isEqualTo(Health.GREEN);
            assertThat(a.getRule()).isEqualTo(HealthRules.ON_TRACK);
        });
        deadLetters.values().forEach(t -> assertThat(t.isEmpty()).isTrue());
    }

    @Test
    void repeatedEventsPublishNothingAndLateEventsApplyByOccurredAt() {
        var adopted = adoption("a1", CASE, XUHUI, at("2026-01-05"), AdoptionDecision.ADOPTED, null, M1);
        var pilot = rollout("r1", CASE, XUHUI, at("2026-01-06"), M1, RolloutStage.PILOT);
        var live = rollout("r2", CASE, XUHUI, at("2026-01-08"), M1, RolloutStage.LIVE);
        // Arrival order: live, adoption, pilot, then the adoption and the live report again.
        report(live);
        report(adopted);
        report(pilot);
        report(adopted);
        report(live);

        List<ReplicationStatus> published = statuses.readValuesToList();
        assertThat(published).hasSize(3);
        ReplicationStatus inOrder = FOLD.foldAll(CASE, XUHUI, List.of(adopted, pilot, live), START).toStatus();
        assertSameStatus(published.get(2), inOrder);
        assertThat(inOrder.getOverallStage()).isEqualTo(OverallStage.LIVE);
        assertThat(inOrder.getEventCount()).isEqualTo(3);
        // The rollout arrived before the adoption but occurred after it: no contradiction.
        assertThat(inOrder.getFlags()).isEmpty();
        assertSameStatus(storedStatus(), inOrder);
        assertThat(meters.counter(FoldMetrics.RECORDS, "topic", Topics.CASE_ADOPTION.name(), "outcome", "duplicate").count()).isEqualTo(1);
        assertThat(meters.counter(FoldMetrics.RECORDS, "topic", Topics.MEASURE_ROLLOUT.name(), "outcome", "duplicate").count()).isEqualTo(1);
    }

    static List<Topic<?>> eventTopics() {
        return Topics.EVENTS;
    }

    @ParameterizedTest
    @MethodSource("eventTopics")
    void poisonRecordsGoToTheirTopicsDeadLetterTopicAndLaterGoodRecordsAreStillAggregated(Topic<?> topic) {
        TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(topic.name(), new ByteArraySerializer(), new ByteArraySerializer());
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        byte[] notAvro = "{\"decision\":\"ADOPTED\"}".getBytes(StandardCharsets.UTF_8);
        byte[] wrongType = avro.serialize(topic.name(), SEED_CASES.get(0));
        byte[] good = avro.serialize(topic.name(), eventFor(topic, "good", CASE));
        byte[] unknownCase = avro.serialize(topic.name(), eventFor(topic, "unknown", "SH-1999-01"));

        raw.pipeInput(key, notAvro);
        raw.pipeInput(key, wrongType);
        raw.pipeInput(Topic.cellKey(CASE, "310115").getBytes(StandardCharsets.UTF_8), good);
        raw.pipeInput(Topic.cellKey("SH-1999-01", XUHUI).getBytes(StandardCharsets.UTF_8), unknownCase);
        raw.pipeInput(null, good);
        raw.pipeInput(key, good);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.get(topic).readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetter.REASON)).containsExactly(
                ReportIntake.UNREADABLE, ReportIntake.WRONG_TYPE, ReportIntake.WRONG_KEY, ReportIntake.UNKNOWN_CASE,
                ReportIntake.MISSING_KEY);
        assertThat(dead.get(0).value()).isEqualTo(notAvro);
        assertThat(dead.get(1).value()).isEqualTo(wrongType);
        assertThat(dead.get(2).value()).isEqualTo(good);
        assertThat(dead.get(3).value()).isEqualTo(unknownCase);
        for (int i = 0; i < dead.size(); i++) {
            assertThat(header(dead.get(i).headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(topic.name());
            assertThat(header(dead.get(i).headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(dead.get(i).headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo(Integer.toString(i));
            assertThat(header(dead.get(i).headers(), DeadLetter.DETAIL)).isNotBlank();
        }
        Topics.EVENTS.stream().filter(t -> t != topic).forEach(t -> assertThat(deadLetters.get(t).isEmpty()).isTrue());

        // The good record after the poison was folded.
        assertThat(statuses.readKeyValuesToList()).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(KEY);
            assertThat(kv.value.getEventCount()).isEqualTo(1);
        });
        assertThat(storedStatus().getEventCount()).isEqualTo(1);
        assertThat(meters.counter(FoldMetrics.DEAD_LETTERED, "topic", topic.name(), "reason", ReportIntake.UNREADABLE).count())
                .isEqualTo(1);
        assertThat(meters.find(FoldMetrics.DEAD_LETTERED).tag("topic", topic.name()).counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(5);
    }

    @Test
    void silenceTurnsACellYellowThenRedByTheWallClockAndRaisesAlerts() {
        report(adoption("a1", CASE, XUHUI, at("2026-01-10T08:00"), AdoptionDecision.ADOPTED, null, M1, M2));
        report(rollout("r1", CASE, XUHUI, at("2026-01-10T08:30"), M1, RolloutStage.PILOT));
        assertThat(statuses.readValuesToList()).last().extracting(ReplicationStatus::getHealth).isEqualTo(Health.GREEN);
        alerts.readValuesToList();

        driver.advanceWallClockTime(Duration.ofDays(44));
        assertThat(statuses.isEmpty()).as("44 silent days change nothing").isTrue();

        driver.advanceWallClockTime(Duration.ofDays(1));
        ReplicationStatus yellow = statuses.readValue();
        assertThat(yellow.getHealth()).isEqualTo(Health.YELLOW);
        assertThat(yellow.getHealthRules()).containsExactly(HealthRules.SILENT);
        StatusAlert toYellow = alerts.readValue();
        assertThat(toYellow.getPreviousHealth()).isEqualTo(Health.GREEN);
        assertThat(toYellow.getHealth()).isEqualTo(Health.YELLOW);
        assertThat(toYellow.getRule()).isEqualTo(HealthRules.SILENT);
        assertThat(toYellow.getReasonZh()).isNotBlank();
        assertThat(storedStatus().getHealth()).isEqualTo(Health.YELLOW);

        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(statuses.isEmpty()).as("nothing changed within the day").isTrue();
        assertThat(alerts.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofDays(45));
        ReplicationStatus red = statuses.readValue();
        assertThat(red.getHealth()).isEqualTo(Health.RED);
        assertThat(red.getHealthRules()).containsExactly(HealthRules.SILENT_WHILE_ROLLING_OUT);
        StatusAlert toRed = alerts.readValue();
        assertThat(toRed.getPreviousHealth()).isEqualTo(Health.YELLOW);
        assertThat(toRed.getHealth()).isEqualTo(Health.RED);
        assertThat(toRed.getRule()).isEqualTo(HealthRules.SILENT_WHILE_ROLLING_OUT);
        assertThat(storedStatus().getHealth()).isEqualTo(Health.RED);
        assertThat(statuses.isEmpty()).isTrue();
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void supervisionStepsAndCrossedDueDatesProduceEachNotificationOnce() {
        SpecificAvroSerde<Notification> serde = new SpecificAvroSerde<>(Notification.class);
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, RealInfra.registry().confluentApiUrl()), false);
        TestOutputTopic<String, Notification> notifications = driver.createOutputTopic(Topics.NOTIFICATIONS.name(),
                new StringDeserializer(), serde.deserializer());
        // START is the driver's wall clock; the case is due 10 days later (Shanghai calendar).
        LocalDate due = LocalDate.ofInstant(START, HealthRules.SHANGHAI).plusDays(10);
        SpecificRecord assign = supervision("s1", START, Assigned.newBuilder().setDueDate(due).build());
        report(assign);
        report(assign); // a repeat: nothing again
        assertThat(notifications.readValuesToList()).extracting(Notification::getKind).containsExactly(NotificationKind.ASSIGNED);

        List<NotificationKind> reminders = new ArrayList<>();
        for (int day = 1; day <= 14; day++) {
            driver.advanceWallClockTime(Duration.ofDays(1));
            driver.advanceWallClockTime(Duration.ofSeconds(30)); // a second punctuation the same day: nothing more
            notifications.readValuesToList().forEach(n -> reminders.add(n.getKind()));
        }
        assertThat(reminders).containsExactly(NotificationKind.DUE_SOON, NotificationKind.DUE_SOON, NotificationKind.OVERDUE);
        assertThat(storedStatus().getSupervision().getDeadline()).isEqualTo(sh.reform.schema.status.DeadlineState.OVERDUE);
        assertThat(meters.counter(FoldMetrics.NOTIFICATIONS, "kind", "OVERDUE").count()).isEqualTo(1);
    }

    private static SpecificRecord supervision(String eventId, Instant when, Object action) {
        sh.reform.schema.events.CaseAdoptionReported a = adoption(eventId, CASE, XUHUI, when, AdoptionDecision.ADOPTED, null);
        a.getEnvelope().getReporter().setPrincipal("city-office");
        return SupervisionEvent.newBuilder().setEnvelope(a.getEnvelope()).setAction(action).build();
    }

    private void report(SpecificRecord event) {
        Topic<?> topic = event instanceof sh.reform.schema.events.CaseAdoptionReported ? Topics.CASE_ADOPTION
                : event instanceof sh.reform.schema.events.MeasureRolloutReported ? Topics.MEASURE_ROLLOUT
                : event instanceof sh.reform.schema.supervision.SupervisionEvent ? Topics.SUPERVISION
                : Topics.OUTCOME_REPORTING;
        TestInputTopic<String, Object> input = driver.createInputTopic(topic.name(), new StringSerializer(), avro);
        input.pipeInput(KEY, event);
    }

    private static SpecificRecord eventFor(Topic<?> topic, String eventId, String caseId) {
        Instant when = at("2026-01-05");
        if (topic == Topics.CASE_ADOPTION) {
            return adoption(eventId, caseId, XUHUI, when, AdoptionDecision.ADOPTED, null);
        }
        if (topic == Topics.MEASURE_ROLLOUT) {
            return rollout(eventId, caseId, XUHUI, when, caseId + "-M1", RolloutStage.PILOT);
        }
        if (topic == Topics.SUPERVISION) {
            sh.reform.schema.events.CaseAdoptionReported a = adoption(eventId, caseId, XUHUI, when, AdoptionDecision.ADOPTED, null);
            return sh.reform.schema.supervision.SupervisionEvent.newBuilder().setEnvelope(a.getEnvelope())
                    .setAction(sh.reform.schema.supervision.Assigned.newBuilder().setDueDate(LocalDate.parse("2026-03-01")).build())
                    .build();
        }
        return outcome(eventId, caseId, XUHUI, when, caseId + "-K1", "2026-01", 3);
    }

    private ReplicationStatus storedStatus() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StatusTopology.CELL_STATE_STORE);
        return CellState.fromBytes(store.get(KEY)).toStatus();
    }

    /**
     * Equal content, compared as Avro binary: records read back by Avro hold GenericData.Array lists, whose
     * equals cannot compare java.time values inside unions.
     */
    static void assertSameStatus(ReplicationStatus actual, ReplicationStatus expected) {
        try {
            assertThat(actual.toByteBuffer()).as("%s%nshould be%n%s", actual, expected).isEqualTo(expected.toByteBuffer());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
