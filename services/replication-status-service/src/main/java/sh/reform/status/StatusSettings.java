package sh.reform.status;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import sh.reform.status.fold.HealthRules;

/** The service's own settings, under {@code reform.status}. */
@ConfigurationProperties("reform.status")
public class StatusSettings {

    /** Kafka Streams state (RocksDB) directory; survives restarts. */
    private Path stateDir = Path.of("data", "streams", "replication-status");
    /** How often, by the wall clock, health is re-evaluated without events. */
    private Duration punctuateEvery = Duration.ofSeconds(30);
    /** Host other instances reach this one at (Kafka Streams {@code application.server}). */
    private String advertisedHost = "127.0.0.1";
    /** Port for {@code application.server}; 0 means the port the web server listens on. */
    private int advertisedPort;
    /** Retry-After of a 503 while the stores are not queryable (start-up, rebalance). */
    private Duration retryAfter = Duration.ofSeconds(5);
    /**
     * While a lost instance's partitions have not moved yet, a standby copy answers if it is at most this
     * many changelog offsets behind (its lag is shown in the {@code Status-Standby-Lag} header); else 503.
     * 1 by default: under exactly-once the changelog ends with a transaction marker that a copy never
     * restores, so a copy that holds every committed change is 1 behind (measured: StatusClusterIT). A
     * negative value never answers from a standby.
     */
    private long standbyMaxLag = 1;
    /** Longest an as-of replay may read before the request is answered 503. */
    private Duration replayTimeout = Duration.ofSeconds(60);
    /** How long a peer instance may take to answer a forwarded query. */
    private Duration peerTimeout = Duration.ofSeconds(5);
    /** Interval of keep-alive comments on the Server-Sent Events stream. */
    private Duration streamKeepAlive = Duration.ofSeconds(15);
    /** How long one Server-Sent Events response stays open (browsers reconnect by themselves). */
    private Duration streamTimeout = Duration.ofMinutes(30);
    private final Health health = new Health();

    public Path getStateDir() { return stateDir; }
    public void setStateDir(Path stateDir) { this.stateDir = stateDir; }
    public Duration getPunctuateEvery() { return punctuateEvery; }
    public void setPunctuateEvery(Duration punctuateEvery) { this.punctuateEvery = punctuateEvery; }
    public String getAdvertisedHost() { return advertisedHost; }
    public void setAdvertisedHost(String advertisedHost) { this.advertisedHost = advertisedHost; }
    public int getAdvertisedPort() { return advertisedPort; }
    public void setAdvertisedPort(int advertisedPort) { this.advertisedPort = advertisedPort; }
    public Duration getRetryAfter() { return retryAfter; }
    public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }
    public long getStandbyMaxLag() { return standbyMaxLag; }
    public void setStandbyMaxLag(long standbyMaxLag) { this.standbyMaxLag = standbyMaxLag; }
    public Duration getReplayTimeout() { return replayTimeout; }
    public void setReplayTimeout(Duration replayTimeout) { this.replayTimeout = replayTimeout; }
    public Duration getPeerTimeout() { return peerTimeout; }
    public void setPeerTimeout(Duration peerTimeout) { this.peerTimeout = peerTimeout; }
    public Duration getStreamKeepAlive() { return streamKeepAlive; }
    public void setStreamKeepAlive(Duration streamKeepAlive) { this.streamKeepAlive = streamKeepAlive; }
    public Duration getStreamTimeout() { return streamTimeout; }
    public void setStreamTimeout(Duration streamTimeout) { this.streamTimeout = streamTimeout; }
    public Health getHealth() { return health; }

    /** The 红黄绿 rules' switches and thresholds (days; 0 switches a rule off); see {@link HealthRules}. */
    public static class Health {
        private boolean targetPassedNotLive = true;
        private int silentDaysRed = 90;
        private int silentDaysYellow = 45;
        private int targetWithinDaysYellow = 30;
        private boolean pausedYellow = true;

        public HealthRules toRules() {
            return new HealthRules(targetPassedNotLive, silentDaysRed, silentDaysYellow, targetWithinDaysYellow,
                    pausedYellow, HealthRules.SHANGHAI);
        }

        public boolean isTargetPassedNotLive() { return targetPassedNotLive; }
        public void setTargetPassedNotLive(boolean v) { this.targetPassedNotLive = v; }
        public int getSilentDaysRed() { return silentDaysRed; }
        public void setSilentDaysRed(int v) { this.silentDaysRed = v; }
        public int getSilentDaysYellow() { return silentDaysYellow; }
        public void setSilentDaysYellow(int v) { this.silentDaysYellow = v; }
        public int getTargetWithinDaysYellow() { return targetWithinDaysYellow; }
        public void setTargetWithinDaysYellow(int v) { this.targetWithinDaysYellow = v; }
        public boolean isPausedYellow() { return pausedYellow; }
        public void setPausedYellow(boolean v) { this.pausedYellow = v; }
    }
}
