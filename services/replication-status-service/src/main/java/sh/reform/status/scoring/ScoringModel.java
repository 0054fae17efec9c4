package sh.reform.status.scoring;

/**
 * The weights of the district score (量化考核), configured under {@code reform.scoring} ({@link ScoringSettings}).
 * A city that weights differently changes configuration, not code.
 *
 * <h2>The formula</h2>
 * Each indicator is a fraction {@code x} between 0 and 1 (see {@link Indicator}); it earns {@code 100 · w · x / W}
 * points, where {@code w} is its weight and {@code W} the sum of the weights of the indicators that apply to the
 * district. An indicator that does not apply (no urge to answer, no claim reviewed, nothing eligible) is left out
 * and the others share its weight, so a district is neither rewarded nor punished for what nobody asked of it.
 * Then {@code overduePenalty} points are taken off per overdue assigned cell; the score is never below 0.
 * Scores are rounded to two decimals; equal scores share a rank (1, 2, 2, 4).
 *
 * @param adoptionCoverage  weight of adopted / eligible cases
 * @param liveRate          weight of live (as claimed) / eligible
 * @param verifiedLiveRate  weight of verified live / eligible
 * @param timeliness        weight of answering on time: {@code 1 − mean days to acknowledge an assignment or answer an
 *                          urge ÷ timelinessDays} (never below 0)
 * @param reviewPassRate    weight of claims accepted / claims reviewed (accepted + returned)
 * @param overduePenalty    points off per overdue assigned cell
 * @param timelinessDays    days at which an answer earns nothing for timeliness
 */
public record ScoringModel(double adoptionCoverage, double liveRate, double verifiedLiveRate, double timeliness,
                           double reviewPassRate, double overduePenalty, double timelinessDays) {

    public ScoringModel {
        for (double w : new double[] {adoptionCoverage, liveRate, verifiedLiveRate, timeliness, reviewPassRate, overduePenalty}) {
            if (w < 0 || Double.isNaN(w)) {
                throw new IllegalArgumentException("scoring weights and the penalty must not be negative");
            }
        }
        if (adoptionCoverage + liveRate + verifiedLiveRate + timeliness + reviewPassRate <= 0) {
            throw new IllegalArgumentException("at least one scoring weight must be positive");
        }
        if (!(timelinessDays > 0)) {
            throw new IllegalArgumentException("reform.scoring.timeliness-days must be positive");
        }
    }

    /** 20 adoption, 20 live, 30 verified live, 15 timeliness, 15 review pass rate; 5 points off per overdue cell; 10 days. */
    public static ScoringModel defaults() {
        return new ScoringModel(20, 20, 30, 15, 15, 5, 10);
    }

    double weight(Indicator i) {
        return switch (i) {
            case ADOPTION_COVERAGE -> adoptionCoverage;
            case LIVE_RATE -> liveRate;
            case VERIFIED_LIVE_RATE -> verifiedLiveRate;
            case TIMELINESS -> timeliness;
            case REVIEW_PASS_RATE -> reviewPassRate;
        };
    }
}
