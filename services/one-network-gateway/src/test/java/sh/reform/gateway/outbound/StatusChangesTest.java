package sh.reform.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StatusChangesTest {

    static ReplicationStatus status(OverallStage stage, Health health, RolloutStage m1) {
        return ReplicationStatus.newBuilder().setCaseId("SH-2023-13").setDistrictCode("310113").setOverallStage(stage).setHealth(health)
                .setMeasures(List.of(MeasureStatus.newBuilder().setMeasureId("SH-2023-13-M1").setStage(m1).build()))
                .setEvaluatedAt(Instant.parse("2026-11-20T02:00:00Z")).build();
    }

    @Test
    void tellsWhichKindsChanged() {
        var before = StatusChanges.Digest.of(status(OverallStage.ROLLING_OUT, Health.GREEN, RolloutStage.PILOT));
        assertThat(StatusChanges.kinds(before, StatusChanges.Digest.of(status(OverallStage.ROLLING_OUT, Health.GREEN, RolloutStage.LIVE))))
                .containsExactly(ChangeKind.MEASURE);
        assertThat(StatusChanges.kinds(before, StatusChanges.Digest.of(status(OverallStage.LIVE, Health.YELLOW, RolloutStage.LIVE))))
                .containsExactlyInAnyOrder(ChangeKind.STAGE, ChangeKind.HEALTH, ChangeKind.MEASURE);
        assertThat(StatusChanges.kinds(before, before)).isEmpty();
    }

    @Test
    void rendersAStructuredCloudEventWithAStableId() {
        ReplicationStatus s = status(OverallStage.LIVE, Health.GREEN, RolloutStage.LIVE);
        String id = StatusChanges.eventId("reform.replication-status", 3, 41);
        assertThat(StatusChanges.eventId("reform.replication-status", 3, 41)).isEqualTo(id);
        StatusChange c = StatusChanges.statusChanged(s, java.util.EnumSet.of(ChangeKind.MEASURE), null, id, Instant.parse("2026-11-20T02:00:01Z"));
        JsonNode ce = JsonMapper.builder().build().readTree(c.cloudEvent());
        assertThat(ce.path("specversion").asString()).isEqualTo("1.0");
        assertThat(ce.path("id").asString()).isEqualTo(id);
        assertThat(ce.path("type").asString()).isEqualTo("sh.reform.replication-status.changed.v1");
        assertThat(ce.path("subject").asString()).isEqualTo("SH-2023-13|310113");
        assertThat(ce.path("datacontenttype").asString()).isEqualTo("application/json");
        assertThat(ce.path("time").asString()).isEqualTo("2026-11-20T02:00:01Z");
        assertThat(ce.path("data").path("measures").get(0).path("stage").asString()).isEqualTo("LIVE");
        assertThat(ce.path("data").path("changes").get(0).asString()).isEqualTo("measure");
    }
}
