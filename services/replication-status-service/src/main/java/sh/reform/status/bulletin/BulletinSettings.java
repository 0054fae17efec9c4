package sh.reform.status.bulletin;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The bulletin schedule, under {@code reform.bulletins}:
 *
 * <pre>
 * reform:
 *   bulletins:
 *     schedule:
 *       enabled: true
 *       cron: "0 10 0 1 * *"      # 00:10 on the 1st of each month, Asia/Shanghai: the previous month's bulletin
 *       batches: SH-2023
 * </pre>
 *
 * Every instance runs the schedule; the ledger makes sure one bulletin comes of it ({@link BulletinLedger}).
 */
@ConfigurationProperties("reform.bulletins")
public class BulletinSettings {

    private final Schedule schedule = new Schedule();

    public Schedule getSchedule() { return schedule; }

    public static class Schedule {
        private boolean enabled = true;
        private String cron = "0 10 0 1 * *";
        private List<String> batches = new ArrayList<>(List.of("SH-2023"));

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getCron() { return cron; }
        public void setCron(String cron) { this.cron = cron; }
        public List<String> getBatches() { return batches; }
        public void setBatches(List<String> batches) { this.batches = batches; }
    }
}
