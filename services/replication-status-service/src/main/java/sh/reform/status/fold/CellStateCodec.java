package sh.reform.status.fold;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.supervision.SupervisionEvent;

/**
 * The state-store form of a {@link CellState}, written with Avro's binary primitives:
 * format version, case id, district code, event count, then per event a type tag and its Avro
 * single-object encoding, then the status in single-object encoding.
 */
final class CellStateCodec {

    private static final int FORMAT_VERSION = 1;
    private static final int ADOPTION = 0;
    private static final int ROLLOUT = 1;
    private static final int OUTCOME = 2;
    private static final int SUPERVISION = 3;

    /**
     * Reads the stored status in the current schema and in every earlier released one, so a store written
     * before an upgrade (the status before issue 16 had no supervision) is read as it is, with the new fields'
     * defaults, instead of failing on an unknown schema fingerprint. Each stored status carries its writer
     * schema's fingerprint (single-object encoding); the earlier schemas are kept under {@code legacy/}.
     */
    static final BinaryMessageDecoder<ReplicationStatus> STATUS = statusDecoder();

    private static BinaryMessageDecoder<ReplicationStatus> statusDecoder() {
        BinaryMessageDecoder<ReplicationStatus> d = ReplicationStatus.createDecoder(null);
        for (String legacy : List.of("ReplicationStatus-1.avsc")) {
            try (var in = CellStateCodec.class.getResourceAsStream("legacy/" + legacy)) {
                d.addSchema(new org.apache.avro.Schema.Parser().parse(in));
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("cannot read the earlier status schema " + legacy, e);
            }
        }
        return d;
    }

    private CellStateCodec() {
    }

    static byte[] encode(CellState state) {
        return encodeMarked(state).bytes();
    }

    /** Where the status's Avro body (after its single-object header) starts in the encoded state: it runs to the end. */
    record Marked(byte[] bytes, int statusBodyOffset) {
    }

    /** The single-object header: 2 marker bytes and the 8-byte schema fingerprint. */
    private static final int SINGLE_OBJECT_HEADER = 10;

    static Marked encodeMarked(CellState state) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            encoder.writeInt(FORMAT_VERSION);
            encoder.writeString(state.caseId());
            encoder.writeString(state.districtCode());
            encoder.writeLong(state.events().size());
            for (SpecificRecord event : state.events()) {
                if (event instanceof CaseAdoptionReported a) {
                    encoder.writeInt(ADOPTION);
                    encoder.writeBytes(a.toByteBuffer());
                } else if (event instanceof MeasureRolloutReported r) {
                    encoder.writeInt(ROLLOUT);
                    encoder.writeBytes(r.toByteBuffer());
                } else if (event instanceof OutcomeReported o) {
                    encoder.writeInt(OUTCOME);
                    encoder.writeBytes(o.toByteBuffer());
                } else if (event instanceof SupervisionEvent v) {
                    encoder.writeInt(SUPERVISION);
                    encoder.writeBytes(v.toByteBuffer());
                } else {
                    throw new IllegalStateException("unexpected event type in cell state: " + event.getClass());
                }
            }
            java.nio.ByteBuffer status = state.status().toByteBuffer();
            int statusLength = status.remaining();
            encoder.writeBytes(status);
            encoder.flush();
            byte[] bytes = out.toByteArray();
            // The status is written last: its bytes are the tail of the array, its body after the header.
            return new Marked(bytes, bytes.length - statusLength + SINGLE_OBJECT_HEADER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode cell state " + state.key(), e);
        }
    }

    /**
     * Only the stored status, skipping the events' bytes without decoding them: what every query needs,
     * at a fraction of the cost of {@link #decode(byte[])} (the matrix and case views read thousands of cells).
     */
    static ReplicationStatus decodeStatus(byte[] bytes) {
        try {
            BinaryDecoder decoder = open(bytes);
            decoder.skipString();
            decoder.skipString();
            long count = decoder.readLong();
            for (long i = 0; i < count; i++) {
                decoder.readInt();
                decoder.skipBytes();
            }
            return STATUS.decode(decoder.readBytes(null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode cell state", e);
        }
    }

    /** A decoder positioned after the format version, which it checks. */
    private static BinaryDecoder open(byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        int version = decoder.readInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown cell state format " + version
                    + "; rebuild the store by replaying the input topics");
        }
        return decoder;
    }

    static CellState decode(byte[] bytes) {
        try {
            BinaryDecoder decoder = open(bytes);
            String caseId = decoder.readString();
            String districtCode = decoder.readString();
            long count = decoder.readLong();
            List<SpecificRecord> events = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                int tag = decoder.readInt();
                ByteBuffer body = decoder.readBytes(null);
                events.add(CellState.withPlainLists(switch (tag) {
                    case ADOPTION -> CaseAdoptionReported.fromByteBuffer(body);
                    case ROLLOUT -> MeasureRolloutReported.fromByteBuffer(body);
                    case OUTCOME -> OutcomeReported.fromByteBuffer(body);
                    case SUPERVISION -> SupervisionEvent.fromByteBuffer(body);
                    default -> throw new IllegalArgumentException("unknown event tag " + tag + " in cell state");
                }));
            }
            ReplicationStatus status = STATUS.decode(decoder.readBytes(null));
            // Written sorted; sorting again costs nothing and keeps the invariant if the bytes were produced elsewhere.
            events.sort(CellState.OCCURRED_ORDER);
            return new CellState(caseId, districtCode, events, status);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode cell state", e);
        }
    }
}
