package sh.reform.status.bulletin;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.scoring.ScoringSettings;

/**
 * Issues the previous month's bulletin of each configured batch on the schedule ({@link BulletinSettings}). Every
 * instance fires; {@link Bulletins#issueScheduled} writes the first version only when none exists, decided inside a
 * transaction fenced per bulletin key, so exactly one is issued however many instances fire.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({BulletinSettings.class, ScoringSettings.class})
public class BulletinSchedule {

    private static final Logger log = LoggerFactory.getLogger(BulletinSchedule.class);

    private final Bulletins bulletins;
    private final BulletinSettings settings;
    private final Clock clock;

    BulletinSchedule(Bulletins bulletins, BulletinSettings settings, Clock clock) {
        this.bulletins = bulletins;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(cron = "${reform.bulletins.schedule.cron:0 10 0 1 * *}", zone = "Asia/Shanghai")
    void onSchedule() {
        if (settings.getSchedule().isEnabled()) {
            issueDue(clock.instant());
        }
    }

    /**
     * Issues the bulletin of the month before {@code now}'s month for every configured batch that has none yet;
     * answers those this call wrote (an instance that finds one already issued writes nothing).
     */
    public List<IssuedBulletin> issueDue(java.time.Instant now) {
        Period last = Period.month(YearMonth.from(LocalDate.ofInstant(now, HealthRules.SHANGHAI)).minusMonths(1));
        List<IssuedBulletin> written = new ArrayList<>();
        for (String batch : settings.getSchedule().getBatches()) {
            try {
                bulletins.issueScheduled(batch, last).ifPresent(written::add);
            } catch (RuntimeException e) {
                // The next firing (or a person) issues it; one batch failing does not stop the others.
                log.warn("scheduled bulletin {} {} not issued: {}", batch, last.code(), e.toString());
            }
        }
        return written;
    }
}
