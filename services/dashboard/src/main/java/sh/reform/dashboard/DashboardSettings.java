package sh.reform.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import sh.reform.shared.security.LocalTokens;

/** The dashboard's settings, under {@code reform.dashboard}. */
@ConfigurationProperties("reform.dashboard")
public class DashboardSettings {

    /** Demo mode: simulated district reports through the real reporting APIs (off by default). */
    private boolean demo;
    /** Time between two simulated reports in demo mode. */
    private Duration demoEvery = Duration.ofMillis(1500);
    /** The batch the pages and the demo start with. */
    private String defaultBatch = "SH-2023";
    /** Local mode: a clerk picks a district and this server signs a token with {@link #jwtSecret}. */
    private boolean localSignIn = true;
    /** The secret the services verify local tokens with ({@code reform.security.jwt-secret} there). */
    private String jwtSecret = LocalTokens.LOCAL_SECRET;
    /** How long a local sign-in lasts. */
    private Duration tokenTtl = Duration.ofHours(8);
    private final Apis apis = new Apis();

    /** Base URLs of the platform's APIs, as both this server and the browser reach them. */
    public static class Apis {
        private String catalog = "http://127.0.0.1:8090";
        private String adoption = "http://127.0.0.1:8091";
        private String rollout = "http://127.0.0.1:8092";
        private String outcome = "http://127.0.0.1:8093";
        private String status = "http://127.0.0.1:8094";
        private String supervision = "http://127.0.0.1:8096";
        private String notifications = "http://127.0.0.1:8097";

        public String getCatalog() { return catalog; }
        public void setCatalog(String catalog) { this.catalog = trim(catalog); }
        public String getAdoption() { return adoption; }
        public void setAdoption(String adoption) { this.adoption = trim(adoption); }
        public String getRollout() { return rollout; }
        public void setRollout(String rollout) { this.rollout = trim(rollout); }
        public String getOutcome() { return outcome; }
        public void setOutcome(String outcome) { this.outcome = trim(outcome); }
        public String getStatus() { return status; }
        public void setStatus(String status) { this.status = trim(status); }
        public String getSupervision() { return supervision; }
        public void setSupervision(String supervision) { this.supervision = trim(supervision); }
        public String getNotifications() { return notifications; }
        public void setNotifications(String notifications) { this.notifications = trim(notifications); }

        private static String trim(String url) {
            return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    public boolean isDemo() { return demo; }
    public void setDemo(boolean demo) { this.demo = demo; }
    public Duration getDemoEvery() { return demoEvery; }
    public void setDemoEvery(Duration demoEvery) { this.demoEvery = demoEvery; }
    public String getDefaultBatch() { return defaultBatch; }
    public void setDefaultBatch(String defaultBatch) { this.defaultBatch = defaultBatch; }
    public boolean isLocalSignIn() { return localSignIn; }
    public void setLocalSignIn(boolean localSignIn) { this.localSignIn = localSignIn; }
    public String getJwtSecret() { return jwtSecret; }
    public void setJwtSecret(String jwtSecret) { this.jwtSecret = jwtSecret; }
    public Duration getTokenTtl() { return tokenTtl; }
    public void setTokenTtl(Duration tokenTtl) { this.tokenTtl = tokenTtl; }
    public Apis getApis() { return apis; }
}
