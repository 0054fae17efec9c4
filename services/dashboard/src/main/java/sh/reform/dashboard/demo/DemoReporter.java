package sh.reform.dashboard.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import sh.reform.dashboard.DashboardSettings;
import sh.reform.dashboard.api.CatalogViews.CaseEntry;
import sh.reform.dashboard.api.CatalogViews.Measure;
import sh.reform.dashboard.api.CatalogViews.Metric;
import sh.reform.dashboard.api.PlatformClient;
import sh.reform.dashboard.api.StatusViews.Cell;
import sh.reform.dashboard.api.StatusViews.DistrictRef;
import sh.reform.dashboard.api.StatusViews.Matrix;
import sh.reform.dashboard.api.StatusViews.Row;
import sh.reform.shared.security.LocalTokens;

/**
 * Demo mode ({@code reform.dashboard.demo=true}): plays the sixteen districts' clerks. It sends simulated
 * adoptions, rollouts and outcomes through the real reporting APIs, each district with its own local
 * token, so the whole path (validation, Kafka, the status fold, the stream) runs as in real use and a
 * newcomer sees the matrix come alive. Fast at first (a report every 300 ms until a couple of dozen
 * cells have started), then one report every {@code reform.dashboard.demo-every}. Some target dates lie in
 * the past or close ahead and some districts pause, so red and yellow cells appear too.
 * Every report carries the note "演示模式模拟报送".
 */
@Component
@ConditionalOnProperty(name = "reform.dashboard.demo", havingValue = "true")
class DemoReporter implements SmartLifecycle {

    static final String NOTE = "演示模式模拟报送 / simulated by demo mode";
    private static final Logger log = LoggerFactory.getLogger(DemoReporter.class);
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Duration FAST = Duration.ofMillis(300);
    private static final int FAST_UNTIL_STARTED = 24;
    private static final List<String> AGENCIES = List.of("发展改革委", "市场监管局", "政务服务办", "营商办", "司法局", "数据局");
    private static final List<String> COVERAGE_UNITS = List.of("街镇", "园区", "楼宇", "窗口");

    private final DashboardSettings settings;
    private final PlatformClient platform;
    private final RestClient http = RestClient.create();
    private final Random random = new Random();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, SimulatedCell> cells = new LinkedHashMap<>();
    private final Map<String, CaseEntry> cases = new LinkedHashMap<>();
    private final Map<String, String> districtNames = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    private Instant tokensIssuedAt = Instant.EPOCH;
    private Instant nextAt = Instant.EPOCH;
    private int sent;

    DemoReporter(DashboardSettings settings, PlatformClient platform) {
        this.settings = settings;
        this.platform = platform;
    }

    /** What the demo has told the platform about one case in one district. */
    static final class SimulatedCell {
        final CaseEntry entry;
        final String district;
        String decision;
        final Map<String, String> measureStages = new LinkedHashMap<>();
        int outcomes;

        SimulatedCell(CaseEntry entry, String district) {
            this.entry = entry;
            this.district = district;
        }

        boolean started() {
            return decision != null;
        }

        boolean finished() {
            return outcomes >= 2 || "WITHDRAWN".equals(decision);
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-reporter");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, 2000, 100, TimeUnit.MILLISECONDS);
        log.info("演示模式已开启：模拟各区报送 / demo mode is on: simulated district reports every {}", settings.getDemoEvery());
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void tick() {
        Instant now = Instant.now();
        if (!running || now.isBefore(nextAt)) {
            return;
        }
        try {
            if (cells.isEmpty()) {
                load();
            }
            step();
            long started = cells.values().stream().filter(SimulatedCell::started).count();
            nextAt = now.plus(started < FAST_UNTIL_STARTED ? FAST : settings.getDemoEvery());
        } catch (RestClientException | PlatformClient.UpstreamException e) {
            // The platform is still starting, or a service is briefly away: try again in a while.
            log.debug("demo: platform not ready ({})", e.getMessage());
            nextAt = now.plusSeconds(3);
        } catch (RuntimeException e) {
            log.warn("demo: step failed", e);
            nextAt = now.plusSeconds(3);
        }
    }

    /** The batch's cases and the districts, and what the status service already shows (after a restart). */
    private void load() {
        String batch = settings.getDefaultBatch();
        List<CaseEntry> entries = platform.cases(batch).stream().filter(CaseEntry::active).toList();
        Matrix matrix = platform.matrix(batch, null);
        if (entries.isEmpty() || matrix.cases() == null || matrix.cases().isEmpty()) {
            throw new PlatformClient.UpstreamException(org.springframework.http.HttpStatusCode.valueOf(503), "catalog not yet published");
        }
        entries.forEach(e -> cases.put(e.caseId(), e));
        for (DistrictRef d : matrix.districts()) {
            districtNames.put(d.code(), d.nameZh());
        }
        for (Row row : matrix.cases()) {
            CaseEntry entry = cases.get(row.caseId());
            if (entry == null) {
                continue;
            }
            for (Cell cell : row.cells()) {
                if (cell.origin()) {
                    continue;
                }
                SimulatedCell sim = new SimulatedCell(entry, cell.districtCode());
                if (!"NOT_STARTED".equals(cell.stage()) && !"UNKNOWN".equals(cell.stage())) {
                    sim.decision = "ADOPTED";
                }
                cells.put(row.caseId() + "|" + cell.districtCode(), sim);
            }
        }
        log.info("demo: {} cases × {} districts loaded", cases.size(), districtNames.size());
    }

    private void step() {
        List<SimulatedCell> fresh = new ArrayList<>();
        List<SimulatedCell> going = new ArrayList<>();
        for (SimulatedCell c : cells.values()) {
            if (!c.started()) {
                fresh.add(c);
            } else if (!c.finished()) {
                going.add(c);
            }
        }
        if (!fresh.isEmpty() && (going.isEmpty() || random.nextDouble() < 0.45)) {
            adopt(fresh.get(random.nextInt(fresh.size())));
        } else if (!going.isEmpty()) {
            advance(going.get(random.nextInt(going.size())));
        }
    }

    private void adopt(SimulatedCell cell) {
        String decision = random.nextDouble() < 0.15 ? "INTENDS" : "ADOPTED";
        double roll = random.nextDouble();
        LocalDate today = LocalDate.now(SHANGHAI);
        // 15 % overdue (red unless live), 15 % due within a month (yellow while few are live), the rest later.
        LocalDate target = roll < 0.15 ? today.minusDays(10 + random.nextInt(80))
                : roll < 0.30 ? today.plusDays(5 + random.nextInt(20)) : today.plusDays(90 + random.nextInt(270));
        Map<String, Object> body = envelope(cell);
        body.put("decision", decision);
        body.put("leadAgency", districtNames.getOrDefault(cell.district, "") + AGENCIES.get(random.nextInt(AGENCIES.size())));
        body.put("targetDate", target.toString());
        if (post(settings.getApis().getAdoption() + "/api/v1/adoptions", cell.district, body)) {
            cell.decision = decision;
        }
    }

    private void advance(SimulatedCell cell) {
        if ("INTENDS".equals(cell.decision) || "PAUSED".equals(cell.decision)) {
            Map<String, Object> body = envelope(cell);
            body.put("decision", "ADOPTED");
            if (post(settings.getApis().getAdoption() + "/api/v1/adoptions", cell.district, body)) {
                cell.decision = "ADOPTED";
            }
            return;
        }
        if (random.nextDouble() < 0.05) {
            Map<String, Object> body = envelope(cell);
            body.put("decision", "PAUSED");
            if (post(settings.getApis().getAdoption() + "/api/v1/adoptions", cell.district, body)) {
                cell.decision = "PAUSED";
            }
            return;
        }
        List<Measure> measures = cell.entry.measures() == null ? List.of() : cell.entry.measures();
        Measure next = measures.stream().filter(m -> !isLive(cell.measureStages.get(m.measureId()))).findFirst().orElse(null);
        if (next != null) {
            rollout(cell, next);
        } else {
            outcome(cell);
        }
    }

    private static boolean isLive(String stage) {
        return "LIVE".equals(stage) || "SCALED".equals(stage);
    }

    private void rollout(SimulatedCell cell, Measure measure) {
        String current = cell.measureStages.get(measure.measureId());
        String stage = current == null ? (random.nextBoolean() ? "PILOT" : "PLANNED")
                : "PLANNED".equals(current) ? "PILOT" : random.nextDouble() < 0.2 ? "SCALED" : "LIVE";
        Map<String, Object> body = envelope(cell);
        body.put("measureId", measure.measureId());
        body.put("stage", stage);
        long total = 6 + random.nextInt(15);
        long covered = switch (stage) {
            case "PLANNED" -> 0;
            case "PILOT" -> 1 + random.nextInt((int) Math.max(1, total / 3));
            case "SCALED" -> total;
            default -> Math.max(1, total / 2 + random.nextInt((int) (total / 2) + 1));
        };
        body.put("coverage", Map.of("covered", Math.min(covered, total), "total", total,
                "unit", COVERAGE_UNITS.get(random.nextInt(COVERAGE_UNITS.size()))));
        if (!"PLANNED".equals(stage) && random.nextBoolean()) {
            body.put("serviceItemCode", "DEMO-" + cell.district + "-" + (1000 + random.nextInt(9000)));
        }
        body.put("effectiveDate", LocalDate.now(SHANGHAI).toString());
        if (post(settings.getApis().getRollout() + "/api/v1/rollouts", cell.district, body)) {
            cell.measureStages.put(measure.measureId(), stage);
        }
    }

    private void outcome(SimulatedCell cell) {
        List<Metric> metrics = cell.entry.metrics() == null ? List.of() : cell.entry.metrics();
        if (metrics.isEmpty()) {
            cell.outcomes = 2;
            return;
        }
        Metric metric = metrics.get(cell.outcomes % metrics.size());
        Double reference = metric.referenceValue();
        double base = reference == null || reference <= 0 ? 10 + random.nextInt(90) : reference;
        double value = base * (0.35 + random.nextDouble() * 0.8);
        if ("PERCENT".equals(metric.kind()) || "%".equals(metric.unit())) {
            value = Math.min(100, value);
        }
        value = "COUNT".equals(metric.kind()) ? Math.max(1, Math.round(value)) : Math.round(value * 100) / 100.0;
        Map<String, Object> body = envelope(cell);
        body.put("metricId", metric.metricId());
        body.put("value", value);
        body.put("unit", metric.unit());
        body.put("period", OffsetDateTime.now(SHANGHAI).format(DateTimeFormatter.ofPattern("yyyy-MM")));
        body.put("evidenceRef", "demo://" + cell.district + "/" + metric.metricId());
        if (post(settings.getApis().getOutcome() + "/api/v1/outcomes", cell.district, body)) {
            cell.outcomes++;
        }
    }

    private Map<String, Object> envelope(SimulatedCell cell) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", UUID.randomUUID().toString());
        body.put("caseId", cell.entry.caseId());
        body.put("districtCode", cell.district);
        body.put("occurredAt", OffsetDateTime.now(SHANGHAI).minusSeconds(1).withNano(0).toString());
        body.put("note", NOTE);
        return body;
    }

    /** True when the service accepted the report (202). */
    private boolean post(String url, String district, Map<String, Object> body) {
        try {
            http.post().uri(url).contentType(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Bearer " + token(district)).body(body).retrieve().toBodilessEntity();
            sent++;
            if (sent % 50 == 0) {
                log.info("demo: {} simulated reports sent", sent);
            }
            return true;
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().is5xxServerError()) {
                throw e;
            }
            log.warn("demo: {} refused a simulated report ({}): {}", url, e.getStatusCode().value(), e.getResponseBodyAsString());
            return false;
        }
    }

    private String token(String district) {
        Duration ttl = Duration.ofHours(2);
        if (Instant.now().isAfter(tokensIssuedAt.plus(ttl.dividedBy(2)))) {
            tokens.clear();
            tokensIssuedAt = Instant.now();
        }
        return tokens.computeIfAbsent(district, d -> LocalTokens.district(settings.getJwtSecret(), d,
                districtNames.getOrDefault(d, d) + "（演示）", ttl));
    }
}
