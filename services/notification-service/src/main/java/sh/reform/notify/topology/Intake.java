package sh.reform.notify.topology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.notify.NotificationSettings;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.Follow;
import sh.reform.schema.supervision.Notification;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.topics.Topics;

/**
 * Takes each notification once: a readable record whose id is not yet in the store is kept (the inbox)
 * and its e-mails are put in the outbox, in the same transaction as the input offset; a repeat is
 * dropped; an unreadable record goes to the dead-letter topic with the reason. A wall-clock punctuator
 * sends what is due in the outbox: a sent mail moves to {@code mail-delivered} (and is never sent again),
 * a failed one stays with its next attempt time (exponential back-off), so no mail is dropped.
 *
 * <p>Exactly once "as far as SMTP allows": the outbox entry and the delivery record change in the
 * transaction that commits right after the send; a crash between the SMTP server's 250 and that commit
 * sends that one mail again after the restart, with the same {@code Message-ID}.
 */
final class Intake implements Processor<String, byte[], String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    static final String REASON = "reform-dlq-reason";
    static final String DETAIL = "reform-dlq-detail";

    private final AvroDeserializer avro;
    private final NotificationSettings.Mail mail;
    private final Mailer mailer;
    private final IntakeMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> notifications;
    private KeyValueStore<String, String> outbox;
    private KeyValueStore<String, String> delivered;
    private KeyValueStore<String, byte[]> follows;
    private long serverDownUntil;

    Intake(AvroDeserializer avro, NotificationSettings.Mail mail, Mailer mailer, IntakeMetrics metrics) {
        this.avro = avro;
        this.mail = mail;
        this.mailer = mailer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        notifications = context.getStateStore(NotificationTopology.NOTIFICATIONS);
        outbox = context.getStateStore(NotificationTopology.OUTBOX);
        delivered = context.getStateStore(NotificationTopology.DELIVERED);
        follows = context.getStateStore(NotificationTopology.FOLLOWS);
        if (mail.isEnabled()) {
            context.schedule(mail.getSendEvery(), PunctuationType.WALL_CLOCK_TIME, now -> sendDue(now));
        }
    }

    @Override
    public void process(Record<String, byte[]> r) {
        Notification n;
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("a tombstone is not a notification");
            }
            Object o = avro.deserialize(Topics.NOTIFICATIONS.name(), r.value());
            if (!(o instanceof Notification x)) {
                throw new IllegalArgumentException("not a Notification: " + (o == null ? "null" : o.getClass().getName()));
            }
            if (x.getNotificationId() == null || x.getNotificationId().isBlank()) {
                throw new IllegalArgumentException("no notificationId");
            }
            n = x;
        } catch (RuntimeException e) {
            deadLetter(r, e);
            return;
        }
        String id = n.getNotificationId();
        if (notifications.get(id) != null) {
            metrics.received("duplicate");
            log.debug("dropping repeated notification {}", id);
            return;
        }
        notifications.put(id, r.value());
        metrics.received("new");
        if (mail.isEnabled()) {
            for (String to : recipients(n)) {
                String key = id + "|" + to;
                if (delivered.get(key) == null && outbox.get(key) == null) {
                    outbox.put(key, Outboxed.first(context.currentSystemTimeMs()).encode());
                }
            }
        }
    }

    /** The audience's configured address and every follower with an address, each once. */
    Set<String> recipients(Notification n) {
        Set<String> to = new LinkedHashSet<>();
        Audience a = n.getAudience();
        if (a == Audience.DISTRICT) {
            to.add(mail.clerkOf(n.getDistrictCode()));
        } else if (a == Audience.DISTRICT_LEADERSHIP) {
            to.add(mail.leadershipOf(n.getDistrictCode()));
        } else if (a == Audience.CITY_OFFICE) {
            to.add(mail.getCityOffice());
        }
        try (KeyValueIterator<String, byte[]> it = follows.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                try {
                    if (avro.deserialize(Topics.FOLLOWS.name(), kv.value) instanceof Follow f && f.getEmail() != null
                            && !f.getEmail().isBlank() && Follows.covers(f, n)) {
                        to.add(f.getEmail().strip());
                    }
                } catch (RuntimeException e) {
                    log.warn("skipping unreadable follow {}: {}", kv.key, e.getMessage());
                }
            }
        }
        to.removeIf(s -> s == null || s.isBlank());
        return to;
    }

    private void deadLetter(Record<String, byte[]> r, RuntimeException e) {
        metrics.received("unreadable");
        Headers h = new RecordHeaders(r.headers().toArray());
        h.remove(REASON);
        h.remove(DETAIL);
        h.add(REASON, NotificationTopology.utf8("unreadable"));
        h.add(DETAIL, NotificationTopology.utf8(String.valueOf(e.getMessage())));
        context.recordMetadata().ifPresent((RecordMetadata m) -> {
            h.add("reform-dlq-source-topic", NotificationTopology.utf8(m.topic()));
            h.add("reform-dlq-source-partition", NotificationTopology.utf8(Integer.toString(m.partition())));
            h.add("reform-dlq-source-offset", NotificationTopology.utf8(Long.toString(m.offset())));
        });
        log.warn("notification record to the dead-letter topic: {}", e.getMessage());
        context.forward(r.withHeaders(h), NotificationTopology.DLQ);
    }

    private void sendDue(long now) {
        if (now < serverDownUntil) {
            return;
        }
        long budgetEnd = System.nanoTime() + mail.getSendBudget().toNanos();
        java.util.List<KeyValue<String, String>> due = new java.util.ArrayList<>();
        try (KeyValueIterator<String, String> it = outbox.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                if (Outboxed.decode(kv.value).nextAttemptAt() <= now) {
                    due.add(kv);
                }
            }
        }
        for (KeyValue<String, String> kv : due) {
            if (System.nanoTime() > budgetEnd) {
                return;
            }
            int bar = kv.key.indexOf('|');
            String id = kv.key.substring(0, bar);
            String to = kv.key.substring(bar + 1);
            Outboxed entry = Outboxed.decode(kv.value);
            if (delivered.get(kv.key) != null) {
                outbox.delete(kv.key);
                continue;
            }
            byte[] raw = notifications.get(id);
            if (raw == null) {
                outbox.delete(kv.key);
                continue;
            }
            Notification n = (Notification) avro.deserialize(Topics.NOTIFICATIONS.name(), raw);
            try {
                mailer.send(n, to, messageId(id, to));
            } catch (Exception e) {
                int attempts = entry.attempts() + 1;
                Duration wait = backoff(attempts);
                outbox.put(kv.key, new Outboxed(attempts, now + wait.toMillis(), String.valueOf(e.getMessage())).encode());
                serverDownUntil = now + mail.getBackoffBase().toMillis();
                metrics.mail("retried");
                log.warn("mail of notification {} to {} failed (attempt {}), next in {}: {}", id, to, attempts, wait, e.toString());
                return;
            }
            delivered.put(kv.key, Long.toString(System.currentTimeMillis()));
            outbox.delete(kv.key);
            metrics.mail("sent");
            log.info("mailed notification {} to {}", id, to);
        }
    }

    Duration backoff(int failedAttempts) {
        long base = mail.getBackoffBase().toMillis();
        long d = base << Math.min(30, Math.max(0, failedAttempts - 1));
        return Duration.ofMillis(d < 0 ? mail.getBackoffMax().toMillis() : Math.min(mail.getBackoffMax().toMillis(), d));
    }

    /** The same for every attempt and every resend of a notification to an address. */
    String messageId(String notificationId, String recipient) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(recipient.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "<" + notificationId + "." + HexFormat.of().formatHex(h, 0, 8) + "@" + mail.getMessageIdDomain() + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An outbox entry: failed attempts so far, when to try next, the last error. */
    record Outboxed(int attempts, long nextAttemptAt, String lastError) {

        static Outboxed first(long now) {
            return new Outboxed(0, now, "");
        }

        String encode() {
            return attempts + "|" + nextAttemptAt + "|" + (lastError == null ? "" : lastError);
        }

        static Outboxed decode(String s) {
            String[] p = s.split("\\|", 3);
            return new Outboxed(Integer.parseInt(p[0]), Long.parseLong(p[1]), p.length > 2 ? p[2] : "");
        }
    }
}
