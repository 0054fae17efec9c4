package sh.reform.status.scoring;

/**
 * What the score of one district is computed from, counted over a batch's cases as of an instant (its own cases
 * left out).
 *
 * @param eligible          cases it may adopt
 * @param adopted           of those, adopted
 * @param live              live as claimed
 * @param verifiedLive      live and verified
 * @param overdue           assigned cells past their due date and not live
 * @param answers           assignments acknowledged and urges answered
 * @param answerDaysTotal   days those answers took, summed
 * @param claimsAccepted    claims the city office accepted
 * @param claimsReturned    claims it returned
 */
public record DistrictFacts(String districtCode, String nameZh, String nameEn, int eligible, int adopted, int live,
                            int verifiedLive, int overdue, int answers, double answerDaysTotal, int claimsAccepted,
                            int claimsReturned) {
}
