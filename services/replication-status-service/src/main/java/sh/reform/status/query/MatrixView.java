package sh.reform.status.query;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A batch's cases × the districts: each row a case (by rank), each cell its stage, health and progress
 * in one district, in the order of {@code districts}.
 *
 * @param asOf null for the live status, else the instant it was replayed to
 */
public record MatrixView(String batchId, OffsetDateTime asOf, List<DistrictRef> districts, List<Row> cases) {

    public record DistrictRef(String code, String nameZh, String nameEn) {
    }

    public record Row(String caseId, int rank, String titleZh, String originDistrict, List<CellSummary> cells) {
    }
}
