package sh.reform.status.query;

import java.time.OffsetDateTime;
import java.util.List;

import sh.reform.status.rollup.DistrictRollup;

/**
 * One district: the cases it reported on, those that are red and why, and the cases it has not adopted.
 *
 * @param reported      every case with a report from the district (any stage but NOT_STARTED)
 * @param red           its red cells with the rules and reasons
 * @param notYetAdopted cases it may adopt but has not (not started, only intending, or withdrawn)
 * @param rollup        its figures; {@code rank} is its place among all districts
 */
public record DistrictStatusView(String districtCode, String nameZh, String nameEn, OffsetDateTime asOf,
                                 List<CellSummary> reported, List<RedCell> red, List<CaseRef> notYetAdopted,
                                 DistrictRollup rollup) {

    public record RedCell(String caseId, String titleZh, List<String> rules, String reasonZh, String reasonEn) {
    }

    public record CaseRef(String caseId, String titleZh, String stage) {
    }
}
