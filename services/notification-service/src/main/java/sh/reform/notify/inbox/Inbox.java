package sh.reform.notify.inbox;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

import sh.reform.notify.topology.Follows;
import sh.reform.notify.topology.NotificationStreams;
import sh.reform.notify.topology.NotificationTopology;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.Follow;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationRead;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.topics.Topics;

/**
 * What a principal sees: a district clerk the DISTRICT and DISTRICT_LEADERSHIP notifications of its own
 * district; the city office the CITY_OFFICE ones; an integration client the district ones of its districts;
 * everyone, every notification of the cases and districts it follows. Read marks are per principal.
 */
@Component
public class Inbox {

    private final NotificationStreams streams;

    public Inbox(NotificationStreams streams) {
        this.streams = streams;
    }

    /** One notification as the inbox shows it. */
    public record Item(String notificationId, String kind, String caseId, String districtCode, String audience,
                       String titleZh, String titleEn, String bodyZh, String bodyEn, Instant createdAt, LocalDate dueDate,
                       String level, String causeEventId, boolean read, Instant readAt, boolean followed) {
    }

    public record Page(List<Item> items, int page, int size, long total, long unread) {
    }

    /** Why the principal may see it: by its role (audience), or because it follows the case or district. */
    public enum Visibility { ROLE, FOLLOW, NONE }

    public Page page(ReformPrincipal p, String districtCode, String caseId, boolean unreadOnly, int page, int size) {
        List<Follow> follows = follows(p.name());
        ReadOnlyKeyValueStore<String, byte[]> reads = streams.bytesStore(NotificationTopology.READS);
        List<Item> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = streams.bytesStore(NotificationTopology.NOTIFICATIONS).all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Notification n = (Notification) streams.reader().deserialize(Topics.NOTIFICATIONS.name(), kv.value);
                Visibility v = visibility(p, n, follows);
                if (v == Visibility.NONE || (districtCode != null && !districtCode.equals(n.getDistrictCode()))
                        || (caseId != null && !caseId.equals(n.getCaseId()))) {
                    continue;
                }
                all.add(item(n, readAt(reads, p.name(), n.getNotificationId()), v == Visibility.FOLLOW));
            }
        }
        all.sort(Comparator.comparing(Item::createdAt).reversed().thenComparing(Item::notificationId));
        long unread = all.stream().filter(i -> !i.read()).count();
        List<Item> shown = unreadOnly ? all.stream().filter(i -> !i.read()).toList() : all;
        int from = (int) Math.min((long) page * size, shown.size());
        int to = Math.min(from + size, shown.size());
        return new Page(List.copyOf(shown.subList(from, to)), page, size, shown.size(), unread);
    }

    public Optional<Notification> notification(String id) {
        byte[] raw = streams.bytesStore(NotificationTopology.NOTIFICATIONS).get(id);
        return raw == null ? Optional.empty() : Optional.of((Notification) streams.reader().deserialize(Topics.NOTIFICATIONS.name(), raw));
    }

    public Item item(ReformPrincipal p, Notification n) {
        return item(n, readAt(streams.bytesStore(NotificationTopology.READS), p.name(), n.getNotificationId()),
                visibility(p, n, follows(p.name())) == Visibility.FOLLOW);
    }

    public Visibility visibility(ReformPrincipal p, Notification n) {
        return visibility(p, n, follows(p.name()));
    }

    static Visibility visibility(ReformPrincipal p, Notification n, List<Follow> follows) {
        Audience a = n.getAudience();
        boolean districtAudience = a == Audience.DISTRICT || a == Audience.DISTRICT_LEADERSHIP;
        boolean byRole = switch (p.role() == null ? ReporterRole.UNKNOWN : p.role()) {
            case CITY_OFFICE -> a == Audience.CITY_OFFICE;
            case DISTRICT -> districtAudience && n.getDistrictCode().equals(p.district());
            case INTEGRATION -> districtAudience && (p.districts().contains("*") || p.districts().contains(n.getDistrictCode()));
            default -> false;
        };
        if (byRole) {
            return Visibility.ROLE;
        }
        return follows.stream().anyMatch(f -> Follows.covers(f, n)) ? Visibility.FOLLOW : Visibility.NONE;
    }

    public Optional<Instant> readAt(String principal, String notificationId) {
        return Optional.ofNullable(readAt(streams.bytesStore(NotificationTopology.READS), principal, notificationId));
    }

    private Instant readAt(ReadOnlyKeyValueStore<String, byte[]> reads, String principal, String notificationId) {
        byte[] raw = reads.get(principal + "|" + notificationId);
        if (raw == null) {
            return null;
        }
        return ((NotificationRead) streams.reader().deserialize(Topics.NOTIFICATION_READS.name(), raw)).getReadAt();
    }

    /** The principal's follows, oldest first. */
    public List<Follow> follows(String principal) {
        List<Follow> out = new ArrayList<>();
        String prefix = Follows.prefix(principal);
        try (KeyValueIterator<String, byte[]> it = streams.bytesStore(NotificationTopology.FOLLOWS)
                .prefixScan(prefix, new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (streams.reader().deserialize(Topics.FOLLOWS.name(), kv.value) instanceof Follow f) {
                    out.add(f);
                }
            }
        }
        out.sort(Comparator.comparing(Follow::getFollowedAt));
        return out;
    }

    public Optional<Follow> follow(String key) {
        byte[] raw = streams.bytesStore(NotificationTopology.FOLLOWS).get(key);
        return raw == null ? Optional.empty() : Optional.of((Follow) streams.reader().deserialize(Topics.FOLLOWS.name(), raw));
    }

    static Item item(Notification n, Instant readAt, boolean followed) {
        return new Item(n.getNotificationId(), n.getKind().name(), n.getCaseId(), n.getDistrictCode(), n.getAudience().name(),
                n.getTitleZh(), n.getTitleEn(), n.getBodyZh(), n.getBodyEn(), n.getCreatedAt(), n.getDueDate(),
                n.getLevel() == null ? null : n.getLevel().name(), n.getCauseEventId(), readAt != null, readAt, followed);
    }
}
