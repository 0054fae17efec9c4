package sh.reform.status.rollup;

/**
 * One district across the cases (its own left out); see {@link Rollups} for the definitions.
 *
 * @param rank             place in the ranking (比学赶超), 1 first; equal districts share a rank
 * @param eligible         cases it may adopt
 * @param adopted          cases it adopted
 * @param adoptionRate     adopted / eligible
 * @param liveRate         live / eligible (as claimed)
 * @param verifiedLive     live cases whose claims the city office verified (or that need no review)
 * @param verifiedLiveRate verified live / eligible
 * @param overdue          assigned cases past their due date and not live
 */
public record DistrictRollup(int rank, String districtCode, String nameZh, String nameEn, int eligible, int adopted,
                             int live, int red, Double adoptionRate, Double liveRate, int verifiedLive,
                             Double verifiedLiveRate, int overdue) {

    DistrictRollup withRank(int rank) {
        return new DistrictRollup(rank, districtCode, nameZh, nameEn, eligible, adopted, live, red, adoptionRate, liveRate,
                verifiedLive, verifiedLiveRate, overdue);
    }
}
