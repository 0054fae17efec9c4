package sh.reform.status.rollup;

/**
 * One case across the districts; see {@link Rollups} for the definitions.
 *
 * @param eligible        districts that may adopt it (all but the origin)
 * @param adopting        of those, districts that adopted it
 * @param adoptionRate    adopting / eligible
 * @param averageCoverage mean coverage of the adopting districts that report one, 0–1; null when none does
 * @param averageProgress mean share of planned measures live among adopting districts, 0–1
 * @param verifiedLive    live districts whose claims are verified
 * @param overdue         assigned districts past their due date and not live
 */
public record CaseRollup(String caseId, String batchId, int rank, String titleZh, String originDistrict,
                         int eligible, int adopting, int live, int red, Double adoptionRate,
                         Double averageCoverage, Double averageProgress, int verifiedLive, Double verifiedLiveRate,
                         int overdue) {
}
