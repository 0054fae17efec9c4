package sh.reform.notify.mail;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

import sh.reform.notify.NotificationSettings;
import sh.reform.notify.topology.Mailer;
import sh.reform.schema.supervision.Notification;

/**
 * A notification as a plain-text e-mail through Spring's {@link JavaMailSender} ({@code spring.mail.*}):
 * subject and body in Chinese first, then English; the {@code Message-ID} is derived from the
 * notification and the recipient, so a resend after a crash is recognisably the same mail.
 */
@Component
public class SmtpMailer implements Mailer {

    public static final String NOTIFICATION_HEADER = "X-Reform-Notification-Id";
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final JavaMailSender sender;
    private final NotificationSettings settings;

    public SmtpMailer(JavaMailSender sender, NotificationSettings settings) {
        this.sender = sender;
        this.settings = settings;
    }

    @Override
    public void send(Notification n, String recipient, String messageId) throws MessagingException {
        Session session = sender instanceof JavaMailSenderImpl impl ? impl.getSession() : sender.createMimeMessage().getSession();
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(InternetAddress.parse(settings.getMail().getFrom())[0]);
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(recipient));
        m.setSubject(subject(n), StandardCharsets.UTF_8.name());
        m.setText(body(n), StandardCharsets.UTF_8.name());
        m.setHeader(NOTIFICATION_HEADER, n.getNotificationId());
        m.setHeader("Content-Language", "zh-CN, en");
        sender.send(m);
    }

    public static String subject(Notification n) {
        return "【督办】" + n.getTitleZh() + " / " + n.getTitleEn();
    }

    public static String body(Notification n) {
        String when = TIME.format(n.getCreatedAt().atZone(SHANGHAI));
        LocalDate due = n.getDueDate();
        StringBuilder b = new StringBuilder();
        b.append(n.getTitleZh()).append("\n\n").append(n.getBodyZh()).append("\n\n");
        b.append("案例：").append(n.getCaseId()).append("　区：").append(n.getDistrictCode()).append('\n');
        if (due != null) {
            b.append("期限：").append(due).append('\n');
        }
        b.append("时间：").append(when).append("（北京时间）\n");
        b.append("通知编号：").append(n.getNotificationId()).append("\n\n");
        b.append("—— English ——\n\n");
        b.append(n.getTitleEn()).append("\n\n").append(n.getBodyEn()).append("\n\n");
        b.append("Case: ").append(n.getCaseId()).append("  District: ").append(n.getDistrictCode()).append('\n');
        if (due != null) {
            b.append("Due: ").append(due).append('\n');
        }
        b.append("Time: ").append(when).append(" (Beijing time)\n");
        b.append("Notification id: ").append(n.getNotificationId()).append('\n');
        return b.toString();
    }
}
