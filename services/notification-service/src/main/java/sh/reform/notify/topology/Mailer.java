package sh.reform.notify.topology;

import sh.reform.schema.supervision.Notification;

/** Sends one notification to one address; throws when the SMTP server did not take it. */
@FunctionalInterface
public interface Mailer {

    void send(Notification notification, String recipient, String messageId) throws Exception;
}
