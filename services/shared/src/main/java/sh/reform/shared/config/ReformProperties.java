package sh.reform.shared.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The platform's own settings, under {@code reform.*}. Kafka and the registry use Spring Boot's
 * {@code spring.kafka.*}, with the registry at {@code spring.kafka.properties.schema.registry.url}
 * (Confluent's name).
 */
@ConfigurationProperties("reform")
public class ReformProperties {

    private final Topics topics = new Topics();
    private final Security security = new Security();
    private final CatalogSettings catalog = new CatalogSettings();
    private final Reporting reporting = new Reporting();
    /** Browser origins allowed to call the APIs (the dashboard); comma-separated, "*" for any. */
    private java.util.List<String> corsAllowedOrigins = java.util.List.of(
            "http://127.0.0.1:8080", "http://localhost:8080");

    public java.util.List<String> getCorsAllowedOrigins() {
        return corsAllowedOrigins;
    }

    public void setCorsAllowedOrigins(java.util.List<String> corsAllowedOrigins) {
        this.corsAllowedOrigins = corsAllowedOrigins;
    }

    public Topics getTopics() {
        return topics;
    }

    public Security getSecurity() {
        return security;
    }

    public CatalogSettings getCatalog() {
        return catalog;
    }

    public Reporting getReporting() {
        return reporting;
    }

    public static class Topics {
        /** Partitions of the co-partitioned event topics and the status topic. */
        private int partitions = 6;
        /**
         * 1 on one broker, 3 in a cluster; 0 (the default) derives it from the cluster at start:
         * min(3, brokers), with {@code min.insync.replicas} 2 when that is 3.
         */
        private short replicationFactor = 0;
        /** 1 on one broker, 2 in a cluster; 0 (the default) derives it with the replication factor. */
        private int minInsyncReplicas = 0;

        public int getPartitions() { return partitions; }
        public void setPartitions(int partitions) { this.partitions = partitions; }
        public short getReplicationFactor() { return replicationFactor; }
        public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
        public int getMinInsyncReplicas() { return minInsyncReplicas; }
        public void setMinInsyncReplicas(int minInsyncReplicas) { this.minInsyncReplicas = minInsyncReplicas; }
    }

    public static class Security {
        /**
         * {@code local-hmac}: HS256 tokens signed with {@link #jwtSecret} (local mode, tests);
         * {@code oidc}: Spring Boot's resource server with {@code spring.security.oauth2.resourceserver.jwt.*}.
         */
        private String mode = "local-hmac";
        /** Shared secret of local-hmac mode (at least 32 bytes). */
        private String jwtSecret = sh.reform.shared.security.LocalTokens.LOCAL_SECRET;

        public String getMode() { return mode; }
        public void setMode(String mode) { this.mode = mode; }
        public String getJwtSecret() { return jwtSecret; }
        public void setJwtSecret(String jwtSecret) { this.jwtSecret = jwtSecret; }
    }

    public static class CatalogSettings {
        /** Follow the catalog topics (every service that validates reports does). */
        private boolean follow = true;

        public boolean isFollow() { return follow; }
        public void setFollow(boolean follow) { this.follow = follow; }
    }

    /** The reporting path's producers (the safety settings acks=all and idempotence are not configurable). */
    public static class Reporting {
        /** Transactional producers in the pool: how many batches or imports run their transaction at once. */
        private int transactionalProducers = sh.reform.shared.reporting.ReportingEngine.Settings.DEFAULT_TRANSACTIONAL_PRODUCERS;
        /**
         * Prefix of the pooled producers' transactional ids ({@code <prefix>-tx-<n>}): stable for an
         * instance so that its restart fences the previous producers, and unique among instances.
         * Empty: {@code <service>-<host name>}, plus {@code -<server.port>} when a fixed port is set,
         * or a random suffix when the port is random (tests).
         */
        private String transactionalIdPrefix = "";
        /** linger.ms of the single-report producer (each request waits for its own acknowledgement). */
        private int singleLingerMs = sh.reform.shared.reporting.ReportingEngine.Settings.DEFAULT_SINGLE_LINGER_MS;
        /** batch.size of the transactional producers. */
        private int transactionBatchBytes = sh.reform.shared.reporting.ReportingEngine.Settings.DEFAULT_TRANSACTION_BATCH_BYTES;

        public int getTransactionalProducers() { return transactionalProducers; }
        public void setTransactionalProducers(int transactionalProducers) { this.transactionalProducers = transactionalProducers; }
        public String getTransactionalIdPrefix() { return transactionalIdPrefix; }
        public void setTransactionalIdPrefix(String transactionalIdPrefix) { this.transactionalIdPrefix = transactionalIdPrefix; }
        public int getSingleLingerMs() { return singleLingerMs; }
        public void setSingleLingerMs(int singleLingerMs) { this.singleLingerMs = singleLingerMs; }
        public int getTransactionBatchBytes() { return transactionBatchBytes; }
        public void setTransactionBatchBytes(int transactionBatchBytes) { this.transactionBatchBytes = transactionBatchBytes; }
    }
}
