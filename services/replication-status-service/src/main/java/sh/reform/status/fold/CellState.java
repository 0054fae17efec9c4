package sh.reform.status.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.supervision.SupervisionEvent;

/**
 * The fold's state for one cell (one case in one district): every distinct event applied so far,
 * sorted by occurred-at (ties by event id), and the {@link ReplicationStatus} derived from them.
 *
 * <h2>Why the raw events are kept</h2>
 * Events apply by occurred-at, not by arrival. An event that arrives late (occurred before ones
 * already applied) can change what every later event meant: a rollout before the adoption is a
 * contradiction, the same rollout after it is not; an outcome only makes a cell EVALUATED when it
 * occurred after the cell went live. So the status is always recomputed from the sorted list, by
 * the same code whether the event came in order or not — the live stream and a replay cannot
 * disagree. Keeping only a summary would drop exactly the detail a late event needs, and dropping
 * superseded outcomes would drop the lifecycle flags they carry ("kept and flagged, never dropped").
 * <p>
 * The events are small (a few hundred bytes) and few per cell: a measure moves through at most a
 * handful of stages and outcomes are monthly, so a cell holds tens to a few hundred events over
 * years — a few tens of kilobytes at most. The set of event ids is not stored; it is rebuilt from
 * the events, so the two can never drift apart.
 *
 * <h2>Serialized form</h2>
 * {@link #toBytes()} / {@link #fromBytes(byte[])} give the form for a Kafka Streams state store:
 * a format version, the cell key, each event in Avro single-object encoding (which carries the
 * writer schema's fingerprint) and the derived status in the same encoding. The status is stored
 * too, so reading the store never needs the catalog or the fold. The store is derived data: if a
 * schema change ever makes old bytes unreadable, decoding fails loudly and the store is rebuilt
 * by replaying the input topics.
 * <p>
 * Instances are immutable. The records returned by {@link #events()} are the stored ones: read them,
 * do not modify them.
 */
public final class CellState {

    /** Occurred-at order, ties broken by event id, so every arrival order yields the same sequence. */
    static final Comparator<SpecificRecord> OCCURRED_ORDER = Comparator
            .comparing((SpecificRecord e) -> envelopeOf(e).getOccurredAt())
            .thenComparing(e -> envelopeOf(e).getEventId());

    private final String caseId;
    private final String districtCode;
    private final List<SpecificRecord> events;
    private final Set<String> eventIds;
    private final ReplicationStatus status;

    CellState(String caseId, String districtCode, List<SpecificRecord> sortedEvents, ReplicationStatus status) {
        this.caseId = Objects.requireNonNull(caseId, "caseId");
        this.districtCode = Objects.requireNonNull(districtCode, "districtCode");
        this.events = Collections.unmodifiableList(new ArrayList<>(sortedEvents));
        Set<String> ids = new HashSet<>();
        for (SpecificRecord e : sortedEvents) {
            ids.add(envelopeOf(e).getEventId());
        }
        this.eventIds = Collections.unmodifiableSet(ids);
        // Every caller passes a status it has just built (decoded, derived or evaluated) and hands over:
        // its lists are made plain in place rather than deep-copying the whole record again per event.
        this.status = withPlainLists(status);
    }

    /** A cell nobody has reported on: NOT_STARTED, health UNKNOWN, never evaluated. */
    public static CellState empty(String caseId, String districtCode) {
        return new CellState(caseId, districtCode, List.of(), emptyStatus(caseId, districtCode));
    }

    /** The status of a cell nobody has reported on, as a fresh record (cheaper than {@code empty(..).toStatus()}). */
    public static ReplicationStatus notStartedStatus(String caseId, String districtCode) {
        return emptyStatus(caseId, districtCode);
    }

    static ReplicationStatus emptyStatus(String caseId, String districtCode) {
        // The all-arguments constructor: the builder would deep-copy every schema default, once per new cell.
        return new ReplicationStatus(caseId, districtCode, null, null, null, OverallStage.NOT_STARTED, new ArrayList<>(), 0, 0,
                new ArrayList<>(), Health.UNKNOWN, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 0L, null, Instant.EPOCH, null);
    }

    /**
     * The same status with another health evaluation. Shares the other fields' values with {@code s}: both
     * belong to immutable cell states (see the class comment), so nothing is copied per event.
     */
    static ReplicationStatus withHealth(ReplicationStatus s, Health health, List<String> rules, Instant evaluatedAt) {
        return new ReplicationStatus(s.getCaseId(), s.getDistrictCode(), s.getDecision(), s.getLeadAgency(), s.getTargetDate(),
                s.getOverallStage(), s.getMeasures(), s.getMeasuresLive(), s.getMeasuresPlanned(), s.getMetrics(), health,
                new ArrayList<>(rules), s.getFlags(), s.getHistory(), s.getEventCount(), s.getLastReportAt(), evaluatedAt, s.getSupervision());
    }

    /** Reads the form written by {@link #toBytes()}. */
    public static CellState fromBytes(byte[] bytes) {
        return CellStateCodec.decode(bytes);
    }

    /**
     * The status alone from the form written by {@link #toBytes()}, without decoding the events; equal to
     * {@code fromBytes(bytes).toStatus()}.
     */
    public static ReplicationStatus statusFromBytes(byte[] bytes) {
        // Freshly decoded and owned by the caller: plain lists, no deep copy (queries decode thousands of cells).
        return withPlainLists(CellStateCodec.decodeStatus(bytes));
    }

    /** A status alone in Avro single-object encoding (the form of the history store's versions). */
    public static byte[] encodeStatus(ReplicationStatus status) {
        try {
            java.nio.ByteBuffer buffer = status.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot encode the status of " + key(status.getCaseId(), status.getDistrictCode()), e);
        }
    }

    /** Reads {@link #encodeStatus}'s form, in the current status schema or any earlier released one. */
    public static ReplicationStatus decodeStatus(byte[] bytes) {
        try {
            return withPlainLists(CellStateCodec.STATUS.decode(bytes));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot decode a stored status", e);
        }
    }

    /** The form for a state store; see the class comment. */
    public byte[] toBytes() {
        return CellStateCodec.encode(this);
    }

    /**
     * The store form ({@link #toBytes()}) and, from the same bytes, the status in the schema registry's wire format
     * (magic byte, 4-byte schema id, Avro body): what the status topic gets, without encoding the status twice.
     */
    public Encoded encode() {
        CellStateCodec.Marked marked = CellStateCodec.encodeMarked(this);
        return new Encoded(marked.bytes(), marked.statusBodyOffset());
    }

    /** A cell state's store bytes, which end with its status's Avro body at {@code statusBodyOffset}. */
    public record Encoded(byte[] bytes, int statusBodyOffset) {

        /** The status in the registry's wire format under writer schema {@code schemaId} (the current status schema's). */
        public byte[] statusWire(int schemaId) {
            int body = bytes.length - statusBodyOffset;
            byte[] wire = new byte[5 + body];
            wire[0] = 0;
            wire[1] = (byte) (schemaId >>> 24);
            wire[2] = (byte) (schemaId >>> 16);
            wire[3] = (byte) (schemaId >>> 8);
            wire[4] = (byte) schemaId;
            System.arraycopy(bytes, statusBodyOffset, wire, 5, body);
            return wire;
        }
    }

    public String caseId() {
        return caseId;
    }

    public String districtCode() {
        return districtCode;
    }

    /** The key of the cell on every keyed topic: {@code caseId|districtCode}. */
    public String key() {
        return key(caseId, districtCode);
    }

    static String key(String caseId, String districtCode) {
        return caseId + "|" + districtCode;
    }

    /** Every distinct event applied, sorted by occurred-at then event id. */
    public List<SpecificRecord> events() {
        return events;
    }

    /** Whether an event with this id has been applied. */
    public boolean contains(String eventId) {
        return eventIds.contains(eventId);
    }

    /** The derived status, as a copy the caller may keep or modify. */
    public ReplicationStatus toStatus() {
        return copyOf(status);
    }

    /**
     * The derived status itself, not a copy: for a caller that only reads or serializes it (the fold's
     * output to the status topic). It must not be modified; use {@link #toStatus()} for a copy to keep.
     */
    public ReplicationStatus status() {
        return status;
    }

    /*
     * Avro's deep copy and decoder build GenericData.Array lists, whose equals and hashCode use the generic
     * model: it cannot compare a java.time value inside a union (MeasureStatus.firstLiveAt, …) and hashes
     * differently from java.util.List. Plain lists make the generated equals/hashCode work element by element.
     */
    static ReplicationStatus copyOf(ReplicationStatus status) {
        ReplicationStatus copy = ReplicationStatus.newBuilder(status).build();
        copy.setMeasures(new ArrayList<>(copy.getMeasures()));
        copy.setMetrics(new ArrayList<>(copy.getMetrics()));
        copy.setHealthRules(new ArrayList<>(copy.getHealthRules()));
        copy.setFlags(new ArrayList<>(copy.getFlags()));
        copy.setHistory(new ArrayList<>(copy.getHistory()));
        plainLists(copy.getSupervision());
        return copy;
    }

    /** The supervision state's lists as plain lists, in place (see {@link #copyOf(ReplicationStatus)}); null passes. */
    static SupervisionState plainLists(SupervisionState s) {
        if (s == null) {
            return null;
        }
        if (!(s.getMeasureDueDates() instanceof ArrayList)) {
            s.setMeasureDueDates(new ArrayList<>(s.getMeasureDueDates()));
        }
        if (!(s.getUrges() instanceof ArrayList)) {
            s.setUrges(new ArrayList<>(s.getUrges()));
        }
        if (!(s.getClaims() instanceof ArrayList)) {
            s.setClaims(new ArrayList<>(s.getClaims()));
        }
        if (!(s.getRemindersSent() instanceof ArrayList)) {
            s.setRemindersSent(new ArrayList<>(s.getRemindersSent()));
        }
        return s;
    }

    /** The same record with its top-level lists as plain lists (see {@link #copyOf(ReplicationStatus)}); no copy of the rest. */
    static ReplicationStatus withPlainLists(ReplicationStatus s) {
        if (!(s.getMeasures() instanceof ArrayList)) {
            s.setMeasures(new ArrayList<>(s.getMeasures()));
        }
        if (!(s.getMetrics() instanceof ArrayList)) {
            s.setMetrics(new ArrayList<>(s.getMetrics()));
        }
        if (!(s.getHealthRules() instanceof ArrayList)) {
            s.setHealthRules(new ArrayList<>(s.getHealthRules()));
        }
        if (!(s.getFlags() instanceof ArrayList)) {
            s.setFlags(new ArrayList<>(s.getFlags()));
        }
        if (!(s.getHistory() instanceof ArrayList)) {
            s.setHistory(new ArrayList<>(s.getHistory()));
        }
        plainLists(s.getSupervision());
        return s;
    }

    /** A decoded event the state owns, with plain lists like {@link #copyOf(SpecificRecord)} but without copying. */
    static SpecificRecord withPlainLists(SpecificRecord event) {
        if (event instanceof CaseAdoptionReported a && !(a.getPlannedMeasureIds() instanceof ArrayList)) {
            a.setPlannedMeasureIds(new ArrayList<>(a.getPlannedMeasureIds()));
        }
        return event;
    }

    /** A deep copy of a reported event that the state owns, with plain lists (see {@link #copyOf(ReplicationStatus)}). */
    static SpecificRecord copyOf(SpecificRecord event) {
        if (event instanceof CaseAdoptionReported a) {
            CaseAdoptionReported copy = CaseAdoptionReported.newBuilder(a).build();
            copy.setPlannedMeasureIds(new ArrayList<>(copy.getPlannedMeasureIds()));
            return copy;
        }
        if (event instanceof MeasureRolloutReported r) {
            return MeasureRolloutReported.newBuilder(r).build();
        }
        if (event instanceof OutcomeReported o) {
            return OutcomeReported.newBuilder(o).build();
        }
        if (event instanceof SupervisionEvent v) {
            return SupervisionEvent.newBuilder(v).build();
        }
        throw new IllegalArgumentException("not a reported event: "
                + (event == null ? "null" : event.getClass().getName()));
    }

    /** The envelope of a reported event, or an error naming the type the fold cannot apply. */
    public static EventEnvelope envelopeOf(SpecificRecord event) {
        if (event instanceof CaseAdoptionReported a) {
            return a.getEnvelope();
        }
        if (event instanceof MeasureRolloutReported r) {
            return r.getEnvelope();
        }
        if (event instanceof OutcomeReported o) {
            return o.getEnvelope();
        }
        if (event instanceof SupervisionEvent v) {
            return v.getEnvelope();
        }
        throw new IllegalArgumentException("not a reported event: "
                + (event == null ? "null" : event.getClass().getName()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellState other
                && caseId.equals(other.caseId)
                && districtCode.equals(other.districtCode)
                && events.equals(other.events)
                && status.equals(other.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caseId, districtCode, events, status);
    }

    @Override
    public String toString() {
        return "CellState[" + key() + ", " + events.size() + " events, " + status.getOverallStage()
                + ", " + status.getHealth() + "]";
    }
}
