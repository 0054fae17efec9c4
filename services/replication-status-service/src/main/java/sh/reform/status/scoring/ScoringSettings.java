package sh.reform.status.scoring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The scoring model's configuration (see {@link ScoringModel} for the formula):
 *
 * <pre>
 * reform:
 *   scoring:
 *     adoption-coverage: 20     # weight of adopted / eligible
 *     live-rate: 20             # weight of live (claimed) / eligible
 *     verified-live-rate: 30    # weight of verified live / eligible
 *     timeliness: 15            # weight of answering assignments and urges quickly
 *     review-pass-rate: 15      # weight of claims accepted / reviewed
 *     overdue-penalty: 5        # points off per overdue assigned cell
 *     timeliness-days: 10       # an answer this late earns nothing for timeliness
 * </pre>
 */
@ConfigurationProperties("reform.scoring")
public class ScoringSettings {

    private double adoptionCoverage = ScoringModel.defaults().adoptionCoverage();
    private double liveRate = ScoringModel.defaults().liveRate();
    private double verifiedLiveRate = ScoringModel.defaults().verifiedLiveRate();
    private double timeliness = ScoringModel.defaults().timeliness();
    private double reviewPassRate = ScoringModel.defaults().reviewPassRate();
    private double overduePenalty = ScoringModel.defaults().overduePenalty();
    private double timelinessDays = ScoringModel.defaults().timelinessDays();

    public ScoringModel toModel() {
        return new ScoringModel(adoptionCoverage, liveRate, verifiedLiveRate, timeliness, reviewPassRate, overduePenalty, timelinessDays);
    }

    public double getAdoptionCoverage() { return adoptionCoverage; }
    public void setAdoptionCoverage(double v) { this.adoptionCoverage = v; }
    public double getLiveRate() { return liveRate; }
    public void setLiveRate(double v) { this.liveRate = v; }
    public double getVerifiedLiveRate() { return verifiedLiveRate; }
    public void setVerifiedLiveRate(double v) { this.verifiedLiveRate = v; }
    public double getTimeliness() { return timeliness; }
    public void setTimeliness(double v) { this.timeliness = v; }
    public double getReviewPassRate() { return reviewPassRate; }
    public void setReviewPassRate(double v) { this.reviewPassRate = v; }
    public double getOverduePenalty() { return overduePenalty; }
    public void setOverduePenalty(double v) { this.overduePenalty = v; }
    public double getTimelinessDays() { return timelinessDays; }
    public void setTimelinessDays(double v) { this.timelinessDays = v; }
}
