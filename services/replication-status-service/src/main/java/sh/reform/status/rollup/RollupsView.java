package sh.reform.status.rollup;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The rollups of a batch (or of every case when {@code batchId} is null).
 *
 * @param asOf      the instant the figures describe (Asia/Shanghai); null for the live status
 * @param cases     per case, by batch and rank
 * @param ranking   per district, best first (比学赶超)
 */
public record RollupsView(String batchId, OffsetDateTime asOf, CityRollup cityWide, List<CaseRollup> cases,
                          List<DistrictRollup> ranking) {
}
