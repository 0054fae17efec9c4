package sh.reform.notify;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The notification service: delivers the supervision notifications (督办通知) the status fold publishes —
 * an in-app inbox per signed-in principal with read marks, follows of cases and districts, and e-mail
 * through SMTP, each exactly once per notification id.
 */
@SpringBootApplication
@EnableConfigurationProperties(NotificationSettings.class)
@OpenAPIDefinition(info = @Info(title = "督办通知 / Supervision notifications", version = "v1",
        description = "站内信箱、关注与邮件通知 / in-app inbox, follows and e-mail of supervision notifications"))
public class NotificationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotificationServiceApplication.class, args);
    }
}
