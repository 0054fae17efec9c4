package sh.reform.status;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.SupervisionRules;

/**
 * The city office's supervision (督办) settings, under {@code reform.supervision}: which claims of a district
 * need its review before they count as verified, and the reminder days before a due date.
 *
 * <pre>
 * reform:
 *   supervision:
 *     review-required: MEASURE_LIVE, MEASURE_SCALED, OUTCOME   # also ADOPTION, MEASURE_PILOT; empty: review nothing
 *     reminder-days: 7, 1
 * </pre>
 */
@ConfigurationProperties("reform.supervision")
public class SupervisionSettings {

    private List<SupervisionRules.Claim> reviewRequired = new ArrayList<>(SupervisionRules.defaults().reviewRequired());
    private List<Integer> reminderDays = new ArrayList<>(SupervisionRules.defaults().reminderDays());

    public SupervisionRules toRules() {
        return new SupervisionRules(reviewRequired.isEmpty() ? EnumSet.noneOf(SupervisionRules.Claim.class) : EnumSet.copyOf(reviewRequired),
                reminderDays, HealthRules.SHANGHAI);
    }

    public List<SupervisionRules.Claim> getReviewRequired() { return reviewRequired; }
    public void setReviewRequired(List<SupervisionRules.Claim> reviewRequired) { this.reviewRequired = reviewRequired; }
    public List<Integer> getReminderDays() { return reminderDays; }
    public void setReminderDays(List<Integer> reminderDays) { this.reminderDays = reminderDays; }
}
