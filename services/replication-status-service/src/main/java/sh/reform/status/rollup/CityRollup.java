package sh.reform.status.rollup;

/**
 * The city as a whole.
 *
 * @param cases           cases summarised
 * @param eligibleCells   case × district pairs that may replicate (origins left out)
 * @param adoptedCells    of those, adopted
 * @param replicationRate adopted / eligible (复制推广率)
 * @param liveRate        live / eligible
 */
public record CityRollup(int cases, int eligibleCells, int adoptedCells, int liveCells, int redCells,
                         Double replicationRate, Double liveRate) {
}
