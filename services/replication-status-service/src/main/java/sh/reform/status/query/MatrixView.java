package sh.reform.status.query;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A batch's cases × the districts: each row a case (by rank), each cell its stage, health and progress
 * in one district, in the order of {@code districts}; one page of rows and of columns (see {@link Paging}).
 *
 * @param asOf null for the live status, else the instant it was replayed to
 */
public record MatrixView(String batchId, OffsetDateTime asOf, List<DistrictRef> districts, List<Row> cases, Paging paging) {

    /**
     * Which part of the whole matrix this is: rows {@code page × size …}, columns
     * {@code districtPage × districtSize …}, of the districts under {@code parent} (all when null).
     * Shanghai's batches fit in one page; the national matrix (1,000 cases × 2,800 counties) is read page by page.
     */
    public record Paging(String parent, int page, int size, int totalCases, int districtPage, int districtSize,
                         int totalDistricts) {
    }

    public record DistrictRef(String code, String nameZh, String nameEn) {
    }

    public record Row(String caseId, int rank, String titleZh, String originDistrict, List<CellSummary> cells) {
    }
}
