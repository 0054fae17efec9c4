package sh.reform.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import tools.jackson.databind.JsonNode;

/**
 * Chaos under load: starts the local platform in cluster mode as its own process ({@code LocalPlatform
 * --brokers B --instances I}, the same launcher {@code deploy/local/run} starts), sends district clerks'
 * single reports, batches and CSV imports at a steady rate to every instance of the reporting services,
 * and meanwhile {@code kill -9}s a random component on a schedule (a reporting instance, a status
 * instance, a Kafka node, the registry, the gateway); the launcher's supervisor restarts it. Clients do
 * what the README says: the same request again after {@code Retry-After} or a dropped connection.
 * Then an audit reads the event topics (read_committed) and the status API:
 * <ul>
 * <li>every event id answered 202 is on its topic exactly once, none refused is there;</li>
 * <li>every cell's {@code eventCount} in the status API equals the events on the topics for it, which
 * equal the reports accepted for it;</li>
 * <li>every answer was 2xx, 4xx, or 503 with {@code Retry-After}.</li>
 * </ul>
 * Reads during loss: after each status-instance kill, the touched cells are swept through the other
 * instances until each has answered 200; the time to the last one and the share of 503s are recorded.
 * Figures go to a Markdown and a JSON report; the audit is what a test asserts.
 */
public final class Chaos {

    static final String[] DISTRICTS = {"310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
            "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151"};
    static final List<String> KINDS = List.of("reporting", "status", "broker", "registry", "gateway");
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");

    record Options(double seconds, double calmSeconds, int brokers, int instances, double rate, double killEverySeconds,
                   int restartLimit, Path out, String command, long seed) {

        static Options parse(String[] args) {
            double seconds = 600;
            double calm = 60;
            int brokers = 3;
            int instances = 3;
            double rate = 60;
            double killEvery = 15;
            int restartLimit = 20;
            Path out = Path.of("benchmarks", "reports");
            String command = "benchmarks/chaos " + String.join(" ", args);
            long seed = 20;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                    case "--calm-seconds" -> calm = Double.parseDouble(args[++i]);
                    case "--brokers" -> brokers = Integer.parseInt(args[++i]);
                    case "--instances" -> instances = Integer.parseInt(args[++i]);
                    case "--rate" -> rate = Double.parseDouble(args[++i]);
                    case "--kill-every" -> killEvery = Double.parseDouble(args[++i]);
                    case "--restart-limit" -> restartLimit = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--command" -> command = args[++i];
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(seconds, calm, brokers, instances, rate, killEvery, restartLimit, out, command, seed);
        }
    }

    /** What the audit found; {@link #passed()} is what a test asserts. */
    record Audit(long acceptedEvents, long refusedEvents, long unansweredEvents, long eventsOnTopics, long lost, long doubled,
                 long refusedButPresent, long unexpectedOnTopics, long cellsChecked, long cellsMismatched, long badAnswers,
                 List<String> problems) {
        boolean passed() {
            return lost == 0 && doubled == 0 && refusedButPresent == 0 && cellsMismatched == 0 && badAnswers == 0;
        }
    }

    record Result(Audit audit, Map<String, Object> figures, Path markdown, Path json) {
    }

    private final Options o;
    private final Path repo = BenchEnv.repoRoot();
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).executor(Executors.newFixedThreadPool(8)).build();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private Path dataDir;
    private Process launcher;

    // What the clients saw.
    private final Map<String, String> acceptedCell = new ConcurrentHashMap<>(); // eventId -> cell
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, String> unanswered = new ConcurrentHashMap<>(); // eventId -> cell
    private final Map<String, AtomicLong> requestsByKind = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>(); // "202", "503+RA", "conn", ...
    private final AtomicLong badAnswers = new AtomicLong();
    private final List<String> badAnswerSamples = Collections.synchronizedList(new ArrayList<>());
    private final List<double[]> latencies = Collections.synchronizedList(new ArrayList<>()); // {sentAtSec, ms}
    private final AtomicLong retries = new AtomicLong();
    private final List<String> refusedSamples = Collections.synchronizedList(new ArrayList<>());

    // The kills.
    record Kill(String component, String kind, double atSec, double readyAgainSec) {
    }

    private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, Object>> statusLoss = Collections.synchronizedList(new ArrayList<>());
    private volatile double chaosFromSec = Double.MAX_VALUE;
    private volatile double chaosToSec = Double.MAX_VALUE;
    private long t0;

    Chaos(Options o) {
        this.o = o;
        this.random = new Random(o.seed());
    }

    public static void main(String[] args) throws Exception {
        Result r = new Chaos(Options.parse(args)).run();
        System.out.println("report: " + r.markdown());
        System.exit(r.audit().passed() ? 0 : 1);
    }

    double now() {
        return (System.nanoTime() - t0) / 1e9;
    }

    Result run() throws Exception {
        Path work = Files.createTempDirectory("reform-chaos-");
        dataDir = work.resolve("data");
        t0 = System.nanoTime();
        try {
            startLauncher(work);
            double ready = now();
            System.out.printf(Locale.ROOT, "chaos: platform ready after %.0f s%n", ready);
            fetchTokens();
            awaitCatalog();
            t0 = System.nanoTime();
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            ExecutorService clients = Executors.newFixedThreadPool(256);
            AtomicInteger n = new AtomicInteger();
            double stopAt = o.seconds();
            long periodMicros = Math.round(1e6 / o.rate());
            ticks.scheduleAtFixedRate(() -> {
                if (now() < stopAt) {
                    int i = n.getAndIncrement();
                    clients.submit(() -> oneRequest(i));
                }
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            Thread killer = new Thread(this::killSchedule, "chaos-killer");
            chaosFromSec = Math.min(o.calmSeconds(), o.seconds());
            chaosToSec = o.seconds();
            killer.start();
            while (now() < stopAt) {
                Thread.sleep(1000);
                if (launcher != null && !launcher.isAlive()) {
                    throw new IllegalStateException("the launcher stopped by itself: see " + work.resolve("launcher.log"));
                }
            }
            ticks.shutdownNow();
            killer.join();
            clients.shutdown();
            if (!clients.awaitTermination(5, TimeUnit.MINUTES)) {
                clients.shutdownNow();
            }
            double requestsSent = n.get();
            System.out.printf(Locale.ROOT, "chaos: %d requests in %.0f s; waiting for every component to run again ...%n",
                    (long) requestsSent, o.seconds());
            awaitAllRunning(Duration.ofMinutes(8));
            joinTrackers(Duration.ofSeconds(30));
            Audit audit = audit();
            Map<String, Object> figures = figures(requestsSent, ready);
            Path[] files = write(audit, figures);
            return new Result(audit, figures, files[0], files[1]);
        } finally {
            stopLauncher();
            deleteQuietly(work);
        }
    }

    // ---- the platform ----

    private void startLauncher(Path work) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Dfile.encoding=UTF-8", "-Dreform.repo.root=" + repo,
                // 18 JVMs on two shared cores: a service may need more than the usual 240 s to be ready.
                "-Dreform.local.ready-timeout-seconds=900", "-Dreform.local.infra-ready-timeout-seconds=600", "-cp", BenchEnv.classPath(),
                "sh.reform.local.LocalPlatform", "--data-dir", dataDir.toString(), "--brokers", Integer.toString(o.brokers()),
                "--instances", Integer.toString(o.instances()), "--restart-limit", Integer.toString(o.restartLimit()),
                "--restart-window", "600"));
        Path log = work.resolve("launcher.log");
        System.out.println("chaos: starting " + String.join(" ", cmd.subList(cmd.indexOf("sh.reform.local.LocalPlatform"), cmd.size()))
                + " (log " + log + ")");
        launcher = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (true) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("all ready in")) {
                return;
            }
            if (!launcher.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the platform did not start:\n" + tail(text, 60));
            }
            Thread.sleep(1000);
        }
    }

    /** Launcher log lines about restarts, for the report. */
    private void stopLauncher() {
        if (launcher == null) {
            return;
        }
        launcher.destroy(); // SIGTERM: the launcher stops its children in order
        try {
            if (!launcher.waitFor(3, TimeUnit.MINUTES)) {
                launcher.descendants().forEach(ProcessHandle::destroyForcibly);
                launcher.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, String> state(String file) {
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dataDir.resolve(file), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            // not written yet (or being replaced): empty
        }
        return m;
    }

    private Map<String, String> supervision() {
        return state("supervision.properties");
    }

    private void fetchTokens() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        for (String d : DISTRICTS) {
            fs.add(pool.submit(() -> {
                tokens.put(d, token("--district", d));
                return null;
            }));
        }
        for (var f : fs) {
            f.get();
        }
        pool.shutdown();
    }

    /** {@code deploy/local/token ARGS}: a black box that prints a bare token. */
    private String token(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("deploy/local/token").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("deploy/local/token " + String.join(" ", args) + " failed");
        }
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    /** The reporting services know the seed catalog once they answer a valid report for its last case. */
    private void awaitCatalog() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        for (int i = 0; i < o.instances(); i++) {
            for (String service : List.of("adoptions", "rollouts")) {
                while (true) {
                    String id = UUID.randomUUID().toString();
                    String body = body(service, id, "SH-2023-20", "310116");
                    int code;
                    try {
                        code = http.send(post(service, i, "", "310116", body, "application/json"), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException e) {
                        code = -1;
                    }
                    if (code == 202) {
                        acceptedCell.put(id, "SH-2023-20|310116");
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the catalog did not reach " + service + " instance " + (i + 1) + ": " + code);
                    }
                    Thread.sleep(1000);
                }
            }
        }
    }

    // ---- clients ----

    private static int port(String service, int instance) {
        int base = switch (service) {
            case "adoptions" -> 8091;
            case "rollouts" -> 8092;
            default -> throw new IllegalArgumentException(service);
        };
        return base + 100 * instance;
    }

    private HttpRequest post(String service, int instance, String path, String district, String body, String contentType) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(service, instance) + "/api/v1/" + service + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + tokens.get(district))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private String body(String service, String eventId, String caseId, String district) {
        Random r = ThreadLocalRandomHolder.get();
        if (service.equals("adoptions")) {
            String[] decisions = {"INTENDS", "ADOPTED"};
            return "{\"eventId\":\"" + eventId + "\",\"caseId\":\"" + caseId + "\",\"districtCode\":\"" + district
                    + "\",\"occurredAt\":\"2026-11-20T10:00:00+08:00\",\"decision\":\"" + decisions[r.nextInt(2)]
                    + "\",\"leadAgency\":\"区发展改革委\",\"targetDate\":\"2027-06-30\"}";
        }
        String[] stages = {"PLANNED", "PILOT", "LIVE", "SCALED"};
        return "{\"eventId\":\"" + eventId + "\",\"caseId\":\"" + caseId + "\",\"districtCode\":\"" + district
                + "\",\"occurredAt\":\"2026-11-20T10:00:00+08:00\",\"measureId\":\"" + caseId + "-M1\",\"stage\":\""
                + stages[r.nextInt(4)] + "\",\"coverage\":{\"covered\":" + (1 + r.nextInt(9)) + ",\"total\":10,\"unit\":\"街镇\"}}";
    }

    private static final class ThreadLocalRandomHolder {
        static Random get() {
            return java.util.concurrent.ThreadLocalRandom.current();
        }
    }

    private static String caseId(Random r) {
        return String.format(Locale.ROOT, "SH-2023-%02d", 1 + r.nextInt(20));
    }

    /** One client request: a single report, a batch of 5 or a CSV import of 5 rows, retried as the README says. */
    private void oneRequest(int i) {
        Random r = new Random(o.seed() * 1_000_003L + i);
        String service = r.nextBoolean() ? "adoptions" : "rollouts";
        int instance = r.nextInt(o.instances());
        String district = DISTRICTS[r.nextInt(DISTRICTS.length)];
        double pick = r.nextDouble();
        String kind = pick < 0.6 ? "single" : pick < 0.85 ? "batch" : "import";
        List<String> ids = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        int count = kind.equals("single") ? 1 : 5;
        for (int k = 0; k < count; k++) {
            ids.add(UUID.randomUUID().toString());
            cells.add(caseId(r) + "|" + district);
        }
        String path;
        String contentType;
        byte[] bytes;
        String boundary = "chaos" + UUID.randomUUID().toString().replace("-", "");
        if (kind.equals("single")) {
            path = "";
            contentType = "application/json";
            bytes = body(service, ids.get(0), cells.get(0).split("\\|")[0], district).getBytes(StandardCharsets.UTF_8);
        } else if (kind.equals("batch")) {
            path = "/batch";
            contentType = "application/json";
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < count; k++) {
                sb.append(k == 0 ? "" : ",").append(body(service, ids.get(k), cells.get(k).split("\\|")[0], district));
            }
            bytes = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        } else {
            path = "/import";
            contentType = "multipart/form-data; boundary=" + boundary;
            StringBuilder csv = new StringBuilder(service.equals("adoptions")
                    ? "eventId,caseId,districtCode,occurredAt,decision,leadAgency,targetDate\n"
                    : "eventId,caseId,districtCode,occurredAt,measureId,stage,coverageCovered,coverageTotal,coverageUnit\n");
            for (int k = 0; k < count; k++) {
                String c = cells.get(k).split("\\|")[0];
                csv.append(ids.get(k)).append(',').append(c).append(',').append(district).append(",2026-11-20T10:00:00+08:00,");
                csv.append(service.equals("adoptions") ? "ADOPTED,区发展改革委,2027-06-30" : c + "-M1,PILOT,3,10,街镇").append('\n');
            }
            bytes = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"chaos.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        }
        requestsByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        double sentAt = now();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        int attempt = 0;
        while (true) {
            attempt++;
            if (attempt > 1) {
                retries.incrementAndGet();
            }
            // The same request again; as a load balancer would, the next attempt goes to the next instance.
            int target = (instance + attempt - 1) % o.instances();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(service, target) + "/api/v1/" + service + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + tokens.get(district))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                count("connection dropped/refused");
                if (System.nanoTime() > deadline) {
                    giveUp(ids, cells);
                    return;
                }
                sleep(1000); // a dropped connection: the same request again
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                giveUp(ids, cells);
                return;
            }
            int code = answer.statusCode();
            var retryAfter = answer.headers().firstValue("Retry-After");
            if (code == 503 && retryAfter.isPresent()) {
                count("503 with Retry-After");
                if (System.nanoTime() > deadline) {
                    giveUp(ids, cells);
                    return;
                }
                sleep(Math.max(200, Math.min(10_000, (long) (Double.parseDouble(retryAfter.get().trim()) * 1000))));
                continue;
            }
            count(Integer.toString(code));
            if (code >= 500 || code < 200 || (code >= 300 && code < 400)) {
                badAnswers.incrementAndGet();
                if (badAnswerSamples.size() < 20) {
                    badAnswerSamples.add(kind + " " + service + " → " + code + " " + answer.headers().firstValue("Retry-After").orElse("(no Retry-After)")
                            + " " + answer.body().substring(0, Math.min(300, answer.body().length())));
                }
                giveUp(ids, cells);
                return;
            }
            if (code >= 400) {
                refused.addAll(ids);
                if (refusedSamples.size() < 10) {
                    refusedSamples.add(kind + " " + service + " attempt " + attempt + " → " + code + " "
                            + answer.body().substring(0, Math.min(400, answer.body().length())));
                }
                return;
            }
            // 2xx: a single or a batch is all accepted; an import (ALL_OR_NOTHING) says whether it published.
            if (kind.equals("import") && !answer.body().contains("\"published\":true")) {
                refused.addAll(ids);
                return;
            }
            Matcher m = EVENT_ID.matcher(answer.body());
            int found = 0;
            while (m.find()) {
                found++;
            }
            if (found < ids.size() && !kind.equals("import")) {
                badAnswerSamples.add(kind + " answered " + code + " with " + found + " event ids for " + ids.size());
            }
            for (int k = 0; k < ids.size(); k++) {
                acceptedCell.put(ids.get(k), cells.get(k));
            }
            latencies.add(new double[] {sentAt, (now() - sentAt) * 1000});
            return;
        }
    }

    private void giveUp(List<String> ids, List<String> cells) {
        for (int k = 0; k < ids.size(); k++) {
            unanswered.put(ids.get(k), cells.get(k));
        }
    }

    private void count(String answer) {
        answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the kills ----

    private List<String> candidates(String kind) {
        Map<String, String> sup = supervision();
        List<String> names = new ArrayList<>();
        for (String key : sup.keySet()) {
            if (key.endsWith(".state")) {
                names.add(key.substring(0, key.length() - ".state".length()));
            }
        }
        Collections.sort(names);
        List<String> ofKind = names.stream().filter(nm -> kindOf(nm).equals(kind)).toList();
        // Never two of a kind down at once (a reporting service keeps one instance, Kafka its quorum and ISR).
        boolean oneDown = ofKind.stream().anyMatch(nm -> !"running".equals(sup.get(nm + ".state")));
        if (oneDown) {
            return List.of();
        }
        return ofKind;
    }

    static String kindOf(String name) {
        if (name.startsWith("kafka-")) {
            return "broker";
        }
        if (name.startsWith("apicurio-registry")) {
            return "registry";
        }
        if (name.startsWith("one-network-gateway")) {
            return "gateway";
        }
        if (name.startsWith("replication-status-service")) {
            return "status";
        }
        if (name.startsWith("case-adoption-service") || name.startsWith("measure-rollout-service")
                || name.startsWith("outcome-reporting-service")) {
            return "reporting";
        }
        return "other";
    }

    private void killSchedule() {
        while (now() < chaosFromSec) {
            sleep(200);
        }
        int round = 0;
        List<Thread> trackers = new ArrayList<>();
        while (now() < chaosToSec - 5) {
            String kind = KINDS.get(round++ % KINDS.size()); // every kind in turn, a random member of it
            List<String> members = candidates(kind);
            if (kind.equals("reporting")) {
                members = members.stream().filter(m -> m.startsWith("case-adoption-service") || m.startsWith("measure-rollout-service")).toList();
            }
            if (!members.isEmpty()) {
                String victim = members.get(random.nextInt(members.size()));
                String pid = state("local-platform.pid").get("child." + victim + ".pid");
                int restartsBefore = Integer.parseInt(supervision().getOrDefault(victim + ".restarts", "0"));
                if (pid != null) {
                    var handle = ProcessHandle.of(Long.parseLong(pid));
                    if (handle.isPresent() && handle.get().isAlive()) {
                        double at = now();
                        handle.get().destroyForcibly(); // SIGKILL, i.e. kill -9
                        System.out.printf(Locale.ROOT, "chaos: %6.1f s kill -9 %s (pid %s)%n", at, victim, pid);
                        int index;
                        synchronized (kills) {
                            index = kills.size();
                            kills.add(new Kill(victim, kind, at, Double.NaN)); // until it runs again
                        }
                        Thread t = new Thread(() -> track(index, victim, kind, at, restartsBefore), "chaos-track-" + victim);
                        t.setDaemon(true);
                        t.start();
                        trackers.add(t);
                        if (kind.equals("status")) {
                            Thread s = new Thread(() -> readsDuringLoss(victim, at), "chaos-reads-" + victim);
                            s.setDaemon(true);
                            s.start();
                            trackers.add(s);
                        }
                    }
                }
            }
            double next = now() + o.killEverySeconds();
            while (now() < next && now() < chaosToSec - 5) {
                sleep(200);
            }
        }
        this.trackers.addAll(trackers); // joined after the load, once every component runs again (or the wait is over)
    }

    private final List<Thread> trackers = Collections.synchronizedList(new ArrayList<>());

    private void joinTrackers(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread t : List.copyOf(trackers)) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the supervisor reports the victim restarted and running; records the time. */
    private void track(int index, String victim, String kind, double at, int restartsBefore) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            Map<String, String> sup = supervision();
            int restarts = Integer.parseInt(sup.getOrDefault(victim + ".restarts", "0"));
            if (restarts > restartsBefore && "running".equals(sup.get(victim + ".state"))) {
                kills.set(index, new Kill(victim, kind, at, now()));
                return;
            }
            sleep(250);
        }
    }

    /** After a status instance is killed: sweep the touched cells through the other instances until each answers. */
    private void readsDuringLoss(String victim, double at) {
        int victimIndex = victim.equals("replication-status-service") ? 0 : Integer.parseInt(victim.substring(victim.lastIndexOf('-') + 1)) - 1;
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < o.instances(); i++) {
            if (i != victimIndex) {
                others.add(i);
            }
        }
        if (others.isEmpty()) {
            return; // one instance: nothing can answer for it
        }
        List<String> cells = new ArrayList<>(new java.util.TreeSet<>(acceptedCell.values()));
        Collections.shuffle(cells, new Random(7));
        cells = cells.subList(0, Math.min(40, cells.size()));
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(cells);
        long reads = 0;
        long unavailable = 0;
        long otherErrors = 0;
        double lastAnsweredAt = at;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        int rr = 0;
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (String cell : List.copyOf(pending)) {
                String[] p = cell.split("\\|");
                int inst = others.get(rr++ % others.size());
                try {
                    HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (8094 + 100 * inst)
                            + "/api/v1/status/cells/" + p[0] + "/" + p[1])).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                    reads++;
                    if (answer.statusCode() == 200) {
                        pending.remove(cell);
                        lastAnsweredAt = now();
                    } else if (answer.statusCode() == 503) {
                        unavailable++;
                    } else {
                        otherErrors++;
                    }
                } catch (IOException e) {
                    otherErrors++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", victim);
        m.put("killedAtSec", round1(at));
        m.put("cells", cells.size());
        m.put("cellsNeverAnswered", pending.size());
        m.put("secondsUntilEveryCellAnswered", pending.isEmpty() ? round1(lastAnsweredAt - at) : null);
        m.put("reads", reads);
        m.put("share503", reads == 0 ? 0 : round1(100.0 * unavailable / reads) / 100.0);
        m.put("otherErrors", otherErrors);
        statusLoss.add(m);
    }

    private void awaitAllRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> sup = supervision();
            boolean all = sup.entrySet().stream().filter(e -> e.getKey().endsWith(".state")).allMatch(e -> e.getValue().equals("running"));
            if (all && !sup.isEmpty()) {
                return;
            }
            sleep(500);
        }
        System.out.println("chaos: not every component runs again: " + supervision());
    }

    // ---- the audit ----

    private Audit audit() throws Exception {
        String bootstrap = state("local-platform.pid").get("kafka.bootstrap.servers");
        Map<String, Integer> onTopic = new HashMap<>();
        Map<String, Long> cellCountsOnTopics = new HashMap<>();
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long events = 0;
        for (String topic : List.of("reform.case-adoption", "reform.measure-rollout")) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
                List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                        .map(pi -> new TopicPartition(topic, pi.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(60));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + topic + " to its end");
                    }
                    for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(500))) {
                        Header id = rec.headers().lastHeader("ce_id");
                        if (id == null) {
                            continue;
                        }
                        events++;
                        onTopic.merge(new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                        cellCountsOnTopics.merge(new String(rec.key(), StandardCharsets.UTF_8), 1L, Long::sum);
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>(badAnswerSamples);
        long lost = 0;
        long doubled = 0;
        for (String id : acceptedCell.keySet()) {
            int n = onTopic.getOrDefault(id, 0);
            if (n == 0) {
                lost++;
                if (problems.size() < 40) {
                    problems.add("accepted but not on its topic: " + id);
                }
            } else if (n > 1) {
                doubled++;
                problems.add("on its topic " + n + " times: " + id);
            }
        }
        long refusedPresent = refused.stream().filter(onTopic::containsKey).count();
        long unexpected = onTopic.keySet().stream().filter(id -> !acceptedCell.containsKey(id) && !refused.contains(id) && !unanswered.containsKey(id)).count();
        // Every cell: the reports accepted for it = the events on the topics for it = the status API's eventCount.
        Map<String, Long> acceptedPerCell = new HashMap<>();
        acceptedCell.values().forEach(c -> acceptedPerCell.merge(c, 1L, Long::sum));
        Map<String, Long> expected = new TreeMap<>(cellCountsOnTopics);
        long mismatched = 0;
        // A request the client gave up on may or may not have landed: it counts for its cell if it is on the topic.
        unanswered.forEach((id, c) -> {
            if (onTopic.containsKey(id)) {
                acceptedPerCell.merge(c, 1L, Long::sum);
            }
        });
        Set<String> allCells = new java.util.TreeSet<>(acceptedPerCell.keySet());
        allCells.addAll(cellCountsOnTopics.keySet());
        for (String cell : allCells) {
            if (!java.util.Objects.equals(acceptedPerCell.get(cell), cellCountsOnTopics.get(cell))) {
                mismatched++;
                problems.add("cell " + cell + ": " + acceptedPerCell.get(cell) + " accepted, " + cellCountsOnTopics.get(cell) + " on the topics");
            }
        }
        mismatched += statusMatches(expected, problems);
        return new Audit(acceptedCell.size(), refused.size(), unanswered.size(), events, lost, doubled, refusedPresent, unexpected,
                expected.size(), mismatched, badAnswers.get(), problems);
    }

    /** Polls the status API until every cell's eventCount equals the topics' count (or 5 minutes pass); returns mismatches. */
    private long statusMatches(Map<String, Long> expected, List<String> problems) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        Map<String, Long> wrong = new TreeMap<>(expected);
        int i = 0;
        while (!wrong.isEmpty() && System.nanoTime() < deadline) {
            for (var e : List.copyOf(wrong.entrySet())) {
                String[] p = e.getKey().split("\\|");
                int inst = i++ % o.instances();
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (8094 + 100 * inst)
                            + "/api/v1/status/cells/" + p[0] + "/" + p[1])).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        JsonNode cell = Benchmarks.JSON.readTree(r.body());
                        if (cell.path("eventCount").asLong(-1) == e.getValue()) {
                            wrong.remove(e.getKey());
                        }
                    }
                } catch (IOException ignored) {
                    // an instance still catching up: try again
                }
            }
            if (!wrong.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        wrong.forEach((cell, n) -> {
            if (problems.size() < 60) {
                problems.add("status of " + cell + " does not show " + n + " events");
            }
        });
        return wrong.size();
    }

    // ---- the report ----

    private Map<String, Object> figures(double requestsSent, double readySeconds) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("platformReadySeconds", round1(readySeconds));
        f.put("seconds", o.seconds());
        f.put("offeredRatePerSec", o.rate());
        f.put("requests", (long) requestsSent);
        f.put("requestsPerSec", round1(requestsSent / o.seconds()));
        Map<String, Long> byKind = new TreeMap<>();
        requestsByKind.forEach((k, v) -> byKind.put(k, v.get()));
        f.put("requestsByKind", byKind);
        Map<String, Long> ans = new TreeMap<>();
        answers.forEach((k, v) -> ans.put(k, v.get()));
        f.put("answers", ans);
        f.put("retries", retries.get());
        f.put("refusedAnswerSamples", new ArrayList<>(refusedSamples));
        Map<String, Long> killsByKind = new TreeMap<>();
        Map<String, Double> longest = new TreeMap<>();
        List<Map<String, Object>> killList = new ArrayList<>();
        synchronized (kills) {
            for (Kill k : kills) {
                killsByKind.merge(k.kind(), 1L, Long::sum);
                double down = k.readyAgainSec() - k.atSec();
                if (!Double.isNaN(down)) {
                    longest.merge(k.kind(), round1(down), Math::max);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("component", k.component());
                m.put("kind", k.kind());
                m.put("killedAtSec", round1(k.atSec()));
                m.put("runningAgainAfterSec", Double.isNaN(down) ? null : round1(down));
                killList.add(m);
            }
        }
        f.put("kills", killList.size());
        f.put("notRunningAgainByTheAudit", killList.stream().filter(k -> k.get("runningAgainAfterSec") == null)
                .map(k -> k.get("component")).toList());
        f.put("killsByKind", killsByKind);
        f.put("longestUnavailabilitySecByKind", longest);
        f.put("killList", killList);
        List<Double> during = new ArrayList<>();
        List<Double> outside = new ArrayList<>();
        synchronized (latencies) {
            for (double[] l : latencies) {
                (l[0] >= chaosFromSec && l[0] < chaosToSec ? during : outside).add(l[1]);
            }
        }
        double[] d = Stats.toArray(during);
        double[] q = Stats.toArray(outside);
        f.put("latencyDuringChaos", Map.of("p50Ms", round1(Stats.percentile(d, 50)), "p99Ms", round1(Stats.percentile(d, 99)), "n", d.length));
        f.put("latencyOutsideChaos", Map.of("p50Ms", round1(Stats.percentile(q, 50)), "p99Ms", round1(Stats.percentile(q, 99)), "n", q.length));
        f.put("readsDuringStatusLoss", new ArrayList<>(statusLoss));
        f.put("restartsReportedBySupervisor", supervision().entrySet().stream().filter(e -> e.getKey().endsWith(".restarts"))
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().replace(".restarts", ""), e -> Integer.parseInt(e.getValue()),
                        (a, b) -> a, TreeMap::new)));
        return f;
    }

    private Path[] write(Audit audit, Map<String, Object> figures) throws IOException {
        Files.createDirectories(o.out());
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(Instant.now().atZone(ZoneId.of("Asia/Shanghai")));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", o.command());
        json.put("at", Instant.now().atZone(ZoneId.of("Asia/Shanghai")).toOffsetDateTime().toString());
        json.put("machine", BenchEnv.machine());
        json.put("versions", BenchEnv.versions());
        json.put("parameters", Map.of("seconds", o.seconds(), "calmSeconds", o.calmSeconds(), "brokers", o.brokers(),
                "instances", o.instances(), "ratePerSec", o.rate(), "killEverySeconds", o.killEverySeconds(),
                "restartLimit", o.restartLimit(), "seed", o.seed()));
        json.put("figures", figures);
        json.put("audit", audit);
        json.put("auditPassed", audit.passed());
        Path jsonFile = o.out().resolve("chaos-" + stamp + ".json");
        Files.writeString(jsonFile, Benchmarks.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), StandardCharsets.UTF_8);

        StringBuilder md = new StringBuilder("# Chaos report ").append(stamp).append("\n\n");
        md.append("Command: `").append(o.command()).append("`\n\n");
        md.append("Machine: ").append(BenchEnv.machine()).append("\n\n");
        md.append(String.format(Locale.ROOT, "Cluster mode: %d Kafka nodes, %d instances of each scalable service; %.0f s of load at %.0f req/s "
                        + "offered (first %.0f s without kills), a `kill -9` every %.0f s, every kind in turn.%n%n",
                o.brokers(), o.instances(), o.seconds(), o.rate(), o.calmSeconds(), o.killEverySeconds()));
        md.append("## Audit: ").append(audit.passed() ? "passed" : "FAILED").append("\n\n| check | count |\n|---|---|\n");
        md.append("| events answered 202 (accepted) | ").append(audit.acceptedEvents()).append(" |\n");
        md.append("| events refused (4xx) | ").append(audit.refusedEvents()).append(" |\n");
        md.append("| events never definitively answered (client gave up) | ").append(audit.unansweredEvents()).append(" |\n");
        md.append("| events on the topics (read_committed) | ").append(audit.eventsOnTopics()).append(" |\n");
        md.append("| accepted but lost | ").append(audit.lost()).append(" |\n");
        md.append("| accepted but on the topic more than once | ").append(audit.doubled()).append(" |\n");
        md.append("| refused but on the topic | ").append(audit.refusedButPresent()).append(" |\n");
        md.append("| on the topics but never answered 202 (client gave up) | ").append(audit.unexpectedOnTopics()).append(" |\n");
        md.append("| cells checked (status API eventCount = topics = accepted) | ").append(audit.cellsChecked()).append(" |\n");
        md.append("| cells that differ | ").append(audit.cellsMismatched()).append(" |\n");
        md.append("| answers other than 2xx, 4xx, 503 with Retry-After | ").append(audit.badAnswers()).append(" |\n\n");
        audit.problems().stream().limit(30).forEach(p -> md.append("- ").append(p).append('\n'));
        md.append("\n## Figures\n\n| figure | value |\n|---|---|\n");
        figures.forEach((k, v) -> {
            if (!k.equals("killList") && !k.equals("readsDuringStatusLoss")) {
                md.append("| ").append(k).append(" | ").append(v).append(" |\n");
            }
        });
        md.append("\n## Reads while a status instance is down\n\n| instance | killed at (s) | cells | every cell answered after (s) | reads | share of 503 |\n|---|---|---|---|---|---|\n");
        for (Map<String, Object> m : statusLoss) {
            md.append("| ").append(m.get("instance")).append(" | ").append(m.get("killedAtSec")).append(" | ").append(m.get("cells"))
                    .append(" | ").append(m.get("secondsUntilEveryCellAnswered")).append(" | ").append(m.get("reads")).append(" | ")
                    .append(m.get("share503")).append(" |\n");
        }
        md.append("\n## Kills\n\n| component | kind | killed at (s) | running again after (s) |\n|---|---|---|---|\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> killList = (List<Map<String, Object>>) figures.get("killList");
        for (Map<String, Object> k : killList) {
            md.append("| ").append(k.get("component")).append(" | ").append(k.get("kind")).append(" | ").append(k.get("killedAtSec"))
                    .append(" | ").append(k.get("runningAgainAfterSec")).append(" |\n");
        }
        Path mdFile = o.out().resolve("chaos-" + stamp + ".md");
        Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        return new Path[] {mdFile, jsonFile};
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
