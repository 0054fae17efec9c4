package sh.reform.bench;

import java.io.ByteArrayOutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import sh.reform.local.LocalPlatform;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark harness: starts a fresh local platform (real broker, registry and services) on a
 * synthetic national catalog, then measures ingestion, freshness and replay, each beside Kafka's
 * own tools in the same run, and writes a Markdown and a JSON report with the machine, versions,
 * command and every figure as median and spread over repeated runs. Figures are printed, never
 * asserted: the quick mode (CI) only proves the harness works.
 */
public final class Benchmarks {

    /** The consumer group (application id) of the platform's own status service in local mode. */
    static final String STATUS_GROUP = "replication-status";

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Options(boolean quick, int repeats, int records, List<Integer> rates, double seconds, int freshness,
                   List<Long> replay, int replayThreads, int districts, int cases, List<String> only, Path out, String command) {

        boolean runs(String part) {
            return only.isEmpty() || only.contains(part);
        }

        static Options parse(String[] args) {
            boolean quick = List.of(args).contains("--quick");
            int repeats = quick ? 1 : 3;
            int records = quick ? 2000 : 200_000;
            List<Integer> rates = quick ? List.of(50) : List.of(200, 500, 1000);
            double seconds = quick ? 2 : 20;
            int freshness = quick ? 10 : 200;
            List<Long> replay = quick ? List.of(2000L) : List.of(1_000_000L, 10_000_000L);
            List<String> only = List.of();
            int replayThreads = 1;
            int districts = quick ? 100 : 2800;
            int cases = quick ? 20 : 1000;
            Path out = Path.of("benchmarks", "reports");
            String command = "benchmarks/run " + String.join(" ", args);
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    case "--records" -> records = Integer.parseInt(args[++i]);
                    case "--rates" -> rates = List.of(args[++i].split(",")).stream().map(Integer::parseInt).toList();
                    case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                    case "--freshness" -> freshness = Integer.parseInt(args[++i]);
                    case "--replay" -> replay = List.of(args[++i].split(",")).stream().map(Long::parseLong).sorted().toList();
                    case "--only" -> only = List.of(args[++i].split(","));
                    case "--replay-threads" -> replayThreads = Integer.parseInt(args[++i]);
                    case "--districts" -> districts = Integer.parseInt(args[++i]);
                    case "--cases" -> cases = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--command" -> command = args[++i];
                    case "--quick" -> { }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(quick, repeats, records, rates, seconds, freshness, replay, replayThreads, districts, cases, only, out, command);
        }
    }

    public static void main(String[] args) throws Exception {
        Path report = run(Options.parse(args));
        System.out.println("report: " + report);
        System.exit(0);
    }

    /** Runs everything; returns the Markdown report's path. */
    static Path run(Options o) throws Exception {
        Path repo = BenchEnv.repoRoot();
        Path data = Files.createTempDirectory("reform-bench-");
        Path seedsDir = data.resolve("seeds");
        NationalSeeds seeds = NationalSeeds.write(seedsDir, o.districts(), o.cases());
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Stats.Series> series = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();

        System.out.printf("starting the platform (%d jurisdictions, %d cases) in %s ...%n", seeds.districts.size(), o.cases(), data);
        long t0 = System.nanoTime();
        try (LocalPlatform platform = LocalPlatform.create(data, 0, 0, 0, repo)
                .withServiceEnvironment(Map.of("REFORM_SEEDS_DIR", seedsDir.toString()))) {
            LocalPlatform.Endpoints ep = platform.start();
            double readySeconds = (System.nanoTime() - t0) / 1e9;
            series(series, "platform.readySeconds", "s").add(readySeconds);
            String token = LocalTokens.cityOffice(LocalTokens.LOCAL_SECRET, "benchmark", Duration.ofHours(12));
            HttpLoad load = new HttpLoad("http://127.0.0.1:8092/api/v1/rollouts", token);
            Reports reports = new Reports(seeds, 7);
            awaitCatalog(load.client(), o.cases(), load, reports);

            // Freshness first, on a quiet platform.
            if (o.runs("freshness")) try (Freshness fresh = new Freshness(load.client(), "http://127.0.0.1:8094")) {
                fresh.connect();
                for (int r = 0; r < o.repeats(); r++) {
                    Freshness.Result f = fresh.measure(load, reports, o.freshness());
                    double[] q = Stats.toArray(f.queryMs());
                    double[] s = Stats.toArray(f.streamMs());
                    series(series, "freshness.query.p50Ms", "ms").add(Stats.percentile(q, 50));
                    series(series, "freshness.query.p99Ms", "ms").add(Stats.percentile(q, 99));
                    series(series, "freshness.stream.p50Ms", "ms").add(Stats.percentile(s, 50));
                    series(series, "freshness.stream.p99Ms", "ms").add(Stats.percentile(s, 99));
                    series(series, "freshness.missed", "reports").add(f.missed());
                    System.out.printf("  freshness run %d: query p50 %.1f ms p99 %.1f ms; stream p50 %.1f ms p99 %.1f ms%n",
                            r + 1, Stats.percentile(q, 50), Stats.percentile(q, 99), Stats.percentile(s, 50), Stats.percentile(s, 99));
                }
            }

            int recordSize = recordSize(ep.schemaRegistryUrl(), seeds);
            results.put("recordSizeBytes", recordSize);
            if (o.runs("ingestion")) {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", ep.kafkaBootstrapServers()))) {
                    admin.createTopics(List.of(new NewTopic("bench.producer-performance", 6, (short) 1))).all().get();
                }
            }
            int batches = Math.max(1, o.records() / 1000);
            // Before each measurement the platform's status service has folded what the previous one sent: a
            // burst of 200,000 batch events keeps it busy for half a minute on the same two cores.
            Duration settle = Duration.ofMinutes(o.quick() ? 5 : 30);
            for (int r = 0; r < (o.runs("ingestion") ? o.repeats() : 0); r++) {
                Replay.awaitCaughtUp(ep.kafkaBootstrapServers(), STATUS_GROUP, settle);
                KafkaTools.ProducerResult pp = KafkaTools.producerPerformance(ep.kafkaBootstrapServers(), "bench.producer-performance",
                        o.records(), recordSize);
                HttpLoad.BatchResult b = load.batches(reports, batches, Math.min(1000, o.records()), 2);
                series(series, "ingestion.producerPerformance.recordsPerSec", "records/s").add(pp.recordsPerSec());
                series(series, "ingestion.httpBatch.eventsPerSec", "events/s").add(b.eventsPerSec());
                series(series, "ingestion.httpBatch.p50Ms", "ms per batch of " + Math.min(1000, o.records())).add(b.p50Ms());
                series(series, "ingestion.httpBatch.p99Ms", "ms per batch of " + Math.min(1000, o.records())).add(b.p99Ms());
                series(series, "ingestion.ratio", "× ProducerPerformance").add(b.eventsPerSec() / pp.recordsPerSec());
                if (b.failedBatches() > 0) {
                    notes.add("run " + (r + 1) + ": " + b.failedBatches() + " batches were not accepted");
                }
                System.out.printf("  ingestion run %d: ProducerPerformance %.0f rec/s, HTTP batches %.0f ev/s (ratio %.2f)%n",
                        r + 1, pp.recordsPerSec(), b.eventsPerSec(), b.eventsPerSec() / pp.recordsPerSec());
                for (int rate : o.rates()) {
                    Replay.awaitCaughtUp(ep.kafkaBootstrapServers(), STATUS_GROUP, settle);
                    HttpLoad.OpenLoopResult ol = load.openLoop(reports, rate, o.seconds());
                    series(series, "single." + rate + "rps.p50Ms", "ms").add(ol.p50Ms());
                    series(series, "single." + rate + "rps.p99Ms", "ms").add(ol.p99Ms());
                    series(series, "single." + rate + "rps.p999Ms", "ms").add(ol.p999Ms());
                    series(series, "single." + rate + "rps.achievedPerSec", "req/s").add(ol.achievedPerSec());
                    series(series, "single." + rate + "rps.failed", "requests").add(ol.failed());
                    System.out.printf("  open loop %d req/s: p50 %.1f ms p99 %.1f ms p99.9 %.1f ms, %d failed%n",
                            rate, ol.p50Ms(), ol.p99Ms(), ol.p999Ms(), ol.failed());
                }
            }

            // Replay: the log grows to each size in turn; each size is rebuilt by a fresh status instance.
            long produced = 0;
            List<Long> sizes = o.runs("replay") ? o.replay() : List.of();
            if (!sizes.isEmpty()) {
                // A rebuild is a fresh instance taking over; the platform's own status instance would fold the same
                // events on the same two cores beside it (earlier reports measured that: about a third of the rate).
                int stopped = platform.stopService("replication-status-service");
                System.out.printf("replay: stopped the platform's own status service (%d instance%s)%n", stopped, stopped == 1 ? "" : "s");
            }
            for (int i = 0; i < sizes.size(); i++) {
                long size = sizes.get(i);
                boolean last = i == sizes.size() - 1;
                String label = label(size);
                System.out.printf("replay %s: producing %,d more events ...%n", label, size - produced);
                long t = System.nanoTime();
                Replay.produce(ep.kafkaBootstrapServers(), ep.schemaRegistryUrl(), seeds, produced, size - produced);
                System.out.printf("  produced in %.0f s%n", (System.nanoTime() - t) / 1e9);
                produced = size;
                KafkaTools.ConsumerResult cp = KafkaTools.consumerPerformance(ep.kafkaBootstrapServers(), "reform.measure-rollout", size);
                Map<String, Object> scale = new LinkedHashMap<>();
                Replay.Result rr = Replay.rebuild(ep.kafkaBootstrapServers(), ep.schemaRegistryUrl(), repo, data, seedsDir,
                        Duration.ofMinutes(o.quick() ? 5 : 90), o.replayThreads(), !last ? null : (port, pid) -> {
                            System.out.println("national scale: measuring the rebuilt instance ...");
                            NationalScale.Result ns = NationalScale.measure(port, pid, seeds, o.quick());
                            scale.put("result", ns);
                        });
                String prefix = "replay." + label + ".";
                series(series, prefix + "consumerPerformance.recordsPerSec", "records/s").add(cp.recordsPerSec());
                series(series, prefix + "status.eventsPerSec", "events/s").add(rr.eventsPerSec());
                series(series, prefix + "status.processingEventsPerSec", "events/s").add(rr.processingEventsPerSec());
                series(series, prefix + "ratio", "× ConsumerPerformance").add(rr.processingEventsPerSec() / cp.recordsPerSec());
                series(series, prefix + "firstQuerySeconds", "s").add(rr.firstQuerySeconds());
                results.put("replay." + label + ".events", rr.events());
                System.out.printf("  replay of %,d events: %.0f ev/s (%.0f ev/s after first query at %.1f s); ConsumerPerformance %.0f rec/s%n",
                        rr.events(), rr.eventsPerSec(), rr.processingEventsPerSec(), rr.firstQuerySeconds(), cp.recordsPerSec());
                if (scale.get("result") instanceof NationalScale.Result ns) {
                    series(series, "scale.heapUsedAfterGcMiB", "MiB").add(ns.heapUsedAfterGcMiB());
                    series(series, "scale.heapMaxMiB", "MiB").add(ns.heapMaxMiB());
                    series(series, "scale.rssMiB", "MiB").add(ns.rssMiB());
                    ns.latenciesMs().forEach((query, ms) -> {
                        series(series, "scale." + query + ".p50Ms", "ms").add(Stats.percentile(ms, 50));
                        series(series, "scale." + query + ".p99Ms", "ms").add(Stats.percentile(ms, 99));
                    });
                    results.put("scale.events", rr.events());
                    results.put("scale.cells", seeds.caseIds.size() + " cases × " + seeds.districts.size() + " jurisdictions, "
                            + Replay.cellsTouched() + " cells with events");
                    System.out.printf("  national scale: heap after GC %.0f MiB of %.0f, RSS %.0f MiB; %s%n", ns.heapUsedAfterGcMiB(),
                            ns.heapMaxMiB(), ns.rssMiB(), ns.latenciesMs().entrySet().stream().map(e -> e.getKey() + " p99 "
                                    + Stats.fmt(Stats.percentile(e.getValue(), 99)) + " ms").toList());
                }
            }
        }
        if (!series.containsKey("scale.heapUsedAfterGcMiB")) {
            notes.add("national scale was not measured in this run (it is measured on the instance rebuilt from the largest replay).");
        }
        return write(o, series, results, notes);
    }

    static String label(long n) {
        return n >= 1_000_000 && n % 1_000_000 == 0 ? (n / 1_000_000) + "M" : n >= 1000 && n % 1000 == 0 ? (n / 1000) + "k" : Long.toString(n);
    }

    private static Stats.Series series(Map<String, Stats.Series> all, String name, String unit) {
        return all.computeIfAbsent(name, n -> new Stats.Series(n, unit));
    }

    /** Waits until the reporting services know the benchmark catalog (a report is accepted). */
    private static void awaitCatalog(HttpClient http, int cases, HttpLoad load, Reports reports) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8090/api/v1/catalog/cases?batch=CN-2026"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).size() >= cases) {
                    load.reportOne(reports.rollout(reports.randomCell()));
                    return;
                }
            } catch (Exception ignored) {
                // not yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the benchmark catalog did not reach the services within 3 minutes");
    }

    /** Size in bytes of a typical rollout event in the Confluent wire format. */
    private static int recordSize(String registryUrl, NationalSeeds seeds) {
        String caseId = seeds.caseIds.get(0);
        MeasureRolloutReported e = MeasureRolloutReported.newBuilder()
                .setEnvelope(EventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                        .setRecordedAt(Instant.now()).setDistrictCode(seeds.districts.get(0)).setCaseId(caseId)
                        .setReporter(Reporter.newBuilder().setPrincipal("city-office").setAgency("上海市优化营商环境工作领导小组办公室")
                                .setRole(ReporterRole.CITY_OFFICE).build()).setSource(ReportSource.MANUAL_ENTRY).build())
                .setMeasureId(caseId + "-M1").setStage(RolloutStage.LIVE)
                .setCoverage(sh.reform.schema.common.Coverage.newBuilder().setCovered(4).setTotal(10).setUnit("街镇").build())
                .setServiceItemCode("31000000001234").build();
        AvroSerializer s = new AvroSerializer();
        s.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        return s.serialize("reform.measure-rollout", e).length;
    }

    private static Path write(Options o, Map<String, Stats.Series> series, Map<String, Object> results, List<String> notes) throws Exception {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.of("Asia/Shanghai")).format(Instant.now());
        Files.createDirectories(o.out());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", o.command());
        json.put("mode", o.quick() ? "quick" : "full");
        json.put("at", Instant.now().atZone(ZoneId.of("Asia/Shanghai")).toOffsetDateTime().toString());
        json.put("machine", BenchEnv.machine());
        json.put("versions", BenchEnv.versions());
        json.put("parameters", Map.of("repeats", o.repeats(), "records", o.records(), "rates", o.rates(), "secondsPerRate", o.seconds(),
                "freshnessReports", o.freshness(), "replayEvents", o.replay(), "replayStreamThreads", o.replayThreads(), "only", o.only(), "jurisdictions", o.districts(), "cases", o.cases()));
        Map<String, Object> figures = new LinkedHashMap<>();
        series.forEach((k, v) -> {
            Stats.Spread s = v.spread();
            figures.put(k, Map.of("unit", v.unit, "median", s.median(), "min", s.min(), "max", s.max(), "runs", v.runs));
        });
        json.put("figures", figures);
        json.put("results", results);
        json.put("notes", notes);
        Path jsonFile = o.out().resolve("benchmark-" + stamp + ".json");
        Files.writeString(jsonFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), StandardCharsets.UTF_8);

        StringBuilder md = new StringBuilder();
        md.append("# Benchmark report ").append(stamp).append(o.quick() ? " (quick mode: harness check, figures not meaningful)" : "").append("\n\n");
        md.append("Command: `").append(o.command()).append("`\n\n");
        md.append("Machine: ").append(BenchEnv.machine()).append("\n\nVersions: ").append(BenchEnv.versions()).append("\n\n");
        md.append("| figure | median | min | max | runs | target |\n|---|---|---|---|---|---|\n");
        series.forEach((k, v) -> {
            Stats.Spread s = v.spread();
            md.append("| ").append(k).append(" (").append(v.unit).append(") | ").append(Stats.fmt(s.median())).append(" | ")
                    .append(Stats.fmt(s.min())).append(" | ").append(Stats.fmt(s.max())).append(" | ").append(s.runs()).append(" | ")
                    .append(target(k)).append(" |\n");
        });
        md.append("\n");
        results.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        Path mdFile = o.out().resolve("benchmark-" + stamp + ".md");
        Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        return mdFile;
    }

    static String target(String figure) {
        return switch (figure) {
            case "ingestion.ratio" -> "≥ 0.50";
            case "single.1000rps.p99Ms" -> "≤ 50 ms";
            case "freshness.query.p50Ms", "freshness.stream.p50Ms" -> "≤ 150 ms";
            case "freshness.query.p99Ms", "freshness.stream.p99Ms" -> "≤ 300 ms";
            case "replay.10M.ratio" -> "≥ 0.25";
            case "scale.heapUsedAfterGcMiB" -> "≤ 512 MiB";
            case "scale.matrixProvincePage.p99Ms", "scale.matrix100x100Page.p99Ms" -> "≤ 50 ms";
            case "platform.readySeconds" -> "≤ 60 s";
            default -> "";
        };
    }

}
