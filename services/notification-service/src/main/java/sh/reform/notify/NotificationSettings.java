package sh.reform.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code reform.notifications.*}: where the Streams state lives and who gets e-mail. Recipients of a
 * notification are the configured addresses of its audience (the district's clerks, the district's
 * leadership, the city office) and every follower of its case or district that has an address.
 */
@ConfigurationProperties("reform.notifications")
public class NotificationSettings {

    /** Kafka Streams state (RocksDB stores); changelogs make it rebuildable, the folder makes restarts fast. */
    private Path stateDir = Path.of("data/streams/notification-service");
    /** How long a write (follow, read mark) waits to be visible to the next read of the same instance. */
    private Duration readYourWrites = Duration.ofSeconds(10);
    private final Mail mail = new Mail();

    public Path getStateDir() { return stateDir; }
    public void setStateDir(Path stateDir) { this.stateDir = stateDir; }
    public Duration getReadYourWrites() { return readYourWrites; }
    public void setReadYourWrites(Duration readYourWrites) { this.readYourWrites = readYourWrites; }
    public Mail getMail() { return mail; }

    public static class Mail {
        /** Off: notifications reach the inbox (and webhooks) only. */
        private boolean enabled = true;
        private String from = "督办通知 <duban-noreply@city.local>";
        /** The address of a district's clerks; {district} is replaced by the code, unless {@link #districts} names one. */
        private String districtClerk = "clerk-{district}@district.local";
        /** The address of a district's leadership (escalated urges); {district} replaced, unless {@link #leadership} names one. */
        private String districtLeadership = "leader-{district}@district.local";
        private String cityOffice = "duban@city.local";
        /** District code → clerks' address, over {@link #districtClerk}. */
        private Map<String, String> districts = new HashMap<>();
        /** District code → leadership's address, over {@link #districtLeadership}. */
        private Map<String, String> leadership = new HashMap<>();
        /** Token subject → address, for followers whose token has no {@code email} claim. */
        private Map<String, String> principals = new HashMap<>();
        /** How often the outbox is looked at. */
        private Duration sendEvery = Duration.ofSeconds(1);
        /** First retry after a failed send; doubles each time up to {@link #backoffMax}. A failed mail is never dropped. */
        private Duration backoffBase = Duration.ofSeconds(2);
        private Duration backoffMax = Duration.ofMinutes(10);
        /** At most this long of sending per look at the outbox, so the stream thread keeps polling. */
        private Duration sendBudget = Duration.ofSeconds(3);
        /** Used in links and in the Message-ID's domain. */
        private String messageIdDomain = "reform.local";

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getFrom() { return from; }
        public void setFrom(String from) { this.from = from; }
        public String getDistrictClerk() { return districtClerk; }
        public void setDistrictClerk(String districtClerk) { this.districtClerk = districtClerk; }
        public String getDistrictLeadership() { return districtLeadership; }
        public void setDistrictLeadership(String districtLeadership) { this.districtLeadership = districtLeadership; }
        public String getCityOffice() { return cityOffice; }
        public void setCityOffice(String cityOffice) { this.cityOffice = cityOffice; }
        public Map<String, String> getDistricts() { return districts; }
        public void setDistricts(Map<String, String> districts) { this.districts = districts; }
        public Map<String, String> getLeadership() { return leadership; }
        public void setLeadership(Map<String, String> leadership) { this.leadership = leadership; }
        public Map<String, String> getPrincipals() { return principals; }
        public void setPrincipals(Map<String, String> principals) { this.principals = principals; }
        public Duration getSendEvery() { return sendEvery; }
        public void setSendEvery(Duration sendEvery) { this.sendEvery = sendEvery; }
        public Duration getBackoffBase() { return backoffBase; }
        public void setBackoffBase(Duration backoffBase) { this.backoffBase = backoffBase; }
        public Duration getBackoffMax() { return backoffMax; }
        public void setBackoffMax(Duration backoffMax) { this.backoffMax = backoffMax; }
        public Duration getSendBudget() { return sendBudget; }
        public void setSendBudget(Duration sendBudget) { this.sendBudget = sendBudget; }
        public String getMessageIdDomain() { return messageIdDomain; }
        public void setMessageIdDomain(String messageIdDomain) { this.messageIdDomain = messageIdDomain; }

        /** The clerks' address of a district. */
        public String clerkOf(String district) {
            return districts.getOrDefault(district, districtClerk.replace("{district}", district));
        }

        /** The leadership's address of a district. */
        public String leadershipOf(String district) {
            return leadership.getOrDefault(district, districtLeadership.replace("{district}", district));
        }
    }
}
