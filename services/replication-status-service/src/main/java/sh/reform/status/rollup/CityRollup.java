package sh.reform.status.rollup;

/**
 * The city as a whole.
 *
 * @param cases           cases summarised
 * @param eligibleCells   case × district pairs that may replicate (origins left out)
 * @param adoptedCells    of those, adopted
 * @param replicationRate adopted / eligible (复制推广率)
 * @param liveRate        live / eligible (as claimed by the districts)
 * @param verifiedLiveCells live cells whose claims the city office verified (or that need no review)
 * @param verifiedLiveRate verified live / eligible
 * @param overdueCells    assigned cells past their due date and not live
 */
public record CityRollup(int cases, int eligibleCells, int adoptedCells, int liveCells, int redCells,
                         Double replicationRate, Double liveRate, int verifiedLiveCells, Double verifiedLiveRate,
                         int overdueCells) {
}
