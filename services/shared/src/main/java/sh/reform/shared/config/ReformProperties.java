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
}
