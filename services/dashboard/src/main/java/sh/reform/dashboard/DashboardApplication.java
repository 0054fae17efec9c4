package sh.reform.dashboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The city office's dashboard and the district clerks' workspace: a single-page UI that reads the
 * status and catalog APIs, follows the status stream, and lets a clerk report through the three
 * reporting services; plus Excel/CSV exports and an optional demo driver.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(DashboardSettings.class)
public class DashboardApplication {

    public static void main(String[] args) {
        SpringApplication.run(DashboardApplication.class, args);
    }
}
