package sh.reform.gateway.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The one-network systems allowed to call the inbound endpoints, from the apps file (YAML, or
 * JSON, which YAML reads too):
 * <pre>
 * apps:
 *   - appKey: ywtb-city
 *     name: 一网通办
 *     agency: 上海市大数据中心
 *     secret: "…at least 32 characters…"
 *     previousSecret: "…"                        # optional: still accepted while the caller switches
 *     previousSecretUntil: 2026-12-01T00:00:00+08:00   # optional end of that grace period
 * </pre>
 * The file is checked at most once per interval and re-read when its content changed, so a
 * secret is rotated by editing the file, without a restart. A file that cannot be read keeps the
 * apps last read (and says so in the health endpoint) rather than locking everyone out.
 */
public final class AppRegistry {

    private static final Logger log = LoggerFactory.getLogger(AppRegistry.class);
    static final int MIN_SECRET_LENGTH = 32;

    private final Path file;
    private final Duration checkInterval;
    private final Clock clock;
    private volatile Map<String, App> apps = Map.of();
    private volatile byte[] lastContent;
    private volatile long lastCheck = Long.MIN_VALUE;
    private volatile String problem = "not read yet";

    /** One caller: its key, who it is, and its current and (during a rotation) previous secret. */
    public record App(String appKey, String name, String agency, String secret, String previousSecret, Instant previousSecretUntil) {

        /** The secrets a signature may be made with now, current first. */
        List<String> acceptedSecrets(Instant now) {
            if (previousSecret == null || (previousSecretUntil != null && now.isAfter(previousSecretUntil))) {
                return List.of(secret);
            }
            return List.of(secret, previousSecret);
        }
    }

    public AppRegistry(Path file, Duration checkInterval, Clock clock) {
        this.file = file;
        this.checkInterval = checkInterval;
        this.clock = clock;
        reloadIfChanged();
    }

    public Optional<App> find(String appKey) {
        long now = clock.millis();
        if (now - lastCheck >= checkInterval.toMillis()) {
            reloadIfChanged();
        }
        return Optional.ofNullable(apps.get(appKey));
    }

    public int size() {
        return apps.size();
    }

    public Path file() {
        return file;
    }

    /** Why the file could not be used the last time it was read; null when it was fine. */
    public String problem() {
        return problem;
    }

    synchronized void reloadIfChanged() {
        lastCheck = clock.millis();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problem = "apps file " + file.toAbsolutePath() + " does not exist; no app can call the inbound endpoints";
            if (lastContent != null || !apps.isEmpty()) {
                log.warn(problem);
            }
            return;
        } catch (IOException e) {
            problem = "apps file " + file + " cannot be read: " + e.getMessage();
            log.warn(problem);
            return;
        }
        if (lastContent != null && Arrays.equals(content, lastContent)) {
            return;
        }
        try {
            Map<String, App> parsed = parse(new String(content, StandardCharsets.UTF_8));
            apps = parsed;
            lastContent = content;
            problem = null;
            log.info("apps file {} read: {} app(s)", file, parsed.size());
        } catch (RuntimeException e) {
            problem = "apps file " + file + " is invalid, keeping the " + apps.size() + " app(s) read before: " + e.getMessage();
            log.error(problem);
        }
    }

    static Map<String, App> parse(String text) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(root instanceof Map<?, ?> m) || !(m.get("apps") instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a top-level 'apps' list");
        }
        Map<String, App> out = new HashMap<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> a)) {
                throw new IllegalArgumentException("each app is a map");
            }
            String key = text(a, "appKey", true);
            String secret = text(a, "secret", true);
            String previous = text(a, "previousSecret", false);
            for (String s : previous == null ? List.of(secret) : List.of(secret, previous)) {
                if (s.length() < MIN_SECRET_LENGTH) {
                    throw new IllegalArgumentException("app " + key + ": a secret needs at least " + MIN_SECRET_LENGTH + " characters");
                }
            }
            Object until = a.get("previousSecretUntil");
            Instant untilAt = until == null ? null
                    : until instanceof java.util.Date d ? d.toInstant() : OffsetDateTime.parse(until.toString()).toInstant();
            String name = Optional.ofNullable(text(a, "name", false)).orElse(key);
            if (out.put(key, new App(key, name, text(a, "agency", false), secret, previous, untilAt)) != null) {
                throw new IllegalArgumentException("app key " + key + " appears twice");
            }
        }
        return Map.copyOf(out);
    }

    private static String text(Map<?, ?> m, String field, boolean required) {
        Object v = m.get(field);
        if (v == null || v.toString().isBlank()) {
            if (required) {
                throw new IllegalArgumentException("an app needs '" + field + "'");
            }
            return null;
        }
        return v.toString().strip();
    }
}
