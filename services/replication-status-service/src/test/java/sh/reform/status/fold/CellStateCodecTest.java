package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sh.reform.schema.events.RolloutStage.SUSPENDED;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.M2;
import static sh.reform.status.fold.Reports.at;
import static sh.reform.status.fold.Reports.rollout;

import org.junit.jupiter.api.Test;

class CellStateCodecTest {

    private final StatusFold fold = Reports.fold();

    @Test
    void roundTripKeepsEventsAndStatus() {
        CellState state = fold.foldAll(CASE, DISTRICT, OrderAndDuplicatesTest.lifeOfACell(), at("2024-09-01"));

        CellState read = CellState.fromBytes(state.toBytes());

        assertThat(read).isEqualTo(state);
        assertThat(read.toStatus()).isEqualTo(state.toStatus());
        assertThat(read.contains("e07")).isTrue();
        assertThat(CellState.statusFromBytes(state.toBytes())).isEqualTo(state.toStatus());
    }

    @Test
    void theStatusForItsTopicIsCutFromTheStoredBytes() throws Exception {
        CellState state = fold.foldAll(CASE, DISTRICT, OrderAndDuplicatesTest.lifeOfACell(), at("2024-09-01"));
        CellState.Encoded encoded = state.encode();
        assertThat(encoded.bytes()).isEqualTo(state.toBytes());
        byte[] wire = encoded.statusWire(0x01020304);
        assertThat(java.util.Arrays.copyOfRange(wire, 0, 5)).containsExactly(0, 1, 2, 3, 4);
        // The body is the status's Avro binary: what the registry serializer writes after the same five bytes.
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(body, null);
        new org.apache.avro.specific.SpecificDatumWriter<sh.reform.schema.status.ReplicationStatus>(
                sh.reform.schema.status.ReplicationStatus.getClassSchema()).write(state.status(), encoder);
        encoder.flush();
        assertThat(java.util.Arrays.copyOfRange(wire, 5, wire.length)).isEqualTo(body.toByteArray());
    }

    @Test
    void roundTripOfAnEmptyCell() {
        CellState empty = CellState.empty(CASE, DISTRICT);

        assertThat(CellState.fromBytes(empty.toBytes())).isEqualTo(empty);
        assertThat(CellState.statusFromBytes(empty.toBytes())).isEqualTo(empty.toStatus());
    }

    @Test
    void aRestoredCellFoldsOnExactlyLikeTheOriginal() {
        CellState state = fold.foldAll(CASE, DISTRICT, OrderAndDuplicatesTest.lifeOfACell(), at("2024-09-01"));
        CellState restored = CellState.fromBytes(state.toBytes());

        var next = rollout("e99", "2024-08-20", M2, SUSPENDED);

        assertThat(fold.apply(restored, next)).isEqualTo(fold.apply(state, next));
        assertThat(fold.apply(restored, OrderAndDuplicatesTest.lifeOfACell().get(3))).isSameAs(restored);
    }

    @Test
    void aStatusStoredBeforeTheSupervisionFieldsIsStillRead() throws Exception {
        CellState cell = Reports.fold().foldAll(CASE, DISTRICT, java.util.List.of(rollout("r1", "2024-01-10", M2, SUSPENDED)),
                at("2024-01-11"));
        sh.reform.schema.status.ReplicationStatus status = cell.toStatus();
        status.setSupervision(null);
        org.apache.avro.Schema v1;
        try (var in = CellStateCodec.class.getResourceAsStream("legacy/ReplicationStatus-1.avsc")) {
            v1 = new org.apache.avro.Schema.Parser().parse(in);
        }
        // Written as the service before issue 16 wrote it: the earlier schema, its fingerprint in the header.
        java.nio.ByteBuffer old = new org.apache.avro.message.BinaryMessageEncoder<sh.reform.schema.status.ReplicationStatus>(
                status.getSpecificData(), v1).encode(status);
        sh.reform.schema.status.ReplicationStatus read = CellStateCodec.STATUS.decode(old);
        assertThat(read.getSupervision()).isNull();
        assertThat(read.getOverallStage()).isEqualTo(status.getOverallStage());
        assertThat(read.getHistory()).hasSameSizeAs(status.getHistory());
    }

    @Test
    void rejectsAnUnknownFormat() {
        assertThatThrownBy(() -> CellState.fromBytes(new byte[] {(byte) 0x7e}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replaying");
    }
}
