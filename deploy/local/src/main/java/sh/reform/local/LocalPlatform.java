package sh.reform.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import sh.reform.local.infra.ApicurioRegistry;
import sh.reform.local.infra.KafkaBroker;
import sh.reform.local.infra.KafkaCluster;
import sh.reform.local.infra.ManagedProcess;
import sh.reform.local.infra.PortInUseException;
import sh.reform.local.infra.Ports;

/**
 * The one-command local run: a real Kafka broker, Apicurio Registry (Confluent-compatible API) and the
 * platform's services as child processes, all data under one data dir.
 * <pre>
 *   deploy/local/run [--data-dir DIR] [--kafka-port 9092] [--controller-port 9093] [--registry-port 8081]
 *   deploy/local/stop [--data-dir DIR]
 * </pre>
 * Ctrl-C (or {@code stop} from another terminal, which signals this process) stops everything, services
 * first, in reverse start order; no child outlives this JVM.
 */
public final class LocalPlatform implements AutoCloseable {

    static final String STATE_FILE = "local-platform.pid";
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final PrintStream ERR = new PrintStream(System.err, true, StandardCharsets.UTF_8);

    /**
     * The platform's services, started in this order once Kafka and the registry are ready. Adding one is
     * one line, e.g.
     * <pre>
     *   ServiceSpec.springBoot("case-adoption-service", "services/case-adoption-service/target/case-adoption-service.jar", 8082),
     * </pre>
     */
    static List<ServiceSpec> services() {
        return services(1);
    }

    /**
     * The services with {@code instances} instances of each one that scales out: the three reporting
     * services (stateless) and the status service (one Kafka Streams application; with several instances
     * it keeps a standby copy of every partition and notices a lost member within 6 s). Instance i listens
     * on the service's port + 100*i. The catalog service, the gateway and the dashboard stay single: the
     * dashboard and the gateway are pointed at the first instance of each service.
     */
    static List<ServiceSpec> services(int instances) {
        List<ServiceSpec> out = new ArrayList<>();
        for (ServiceSpec service : singleServices()) {
            boolean scales = SCALING.contains(service.name());
            for (int i = 0; i < (scales ? instances : 1); i++) {
                ServiceSpec one = service.instance(i);
                if (instances > 1 && service.name().equals("replication-status-service")) {
                    one = one.withArgs(
                            "--spring.kafka.streams.properties.num.standby.replicas=1",
                            "--spring.kafka.streams.properties.session.timeout.ms=6000",
                            "--spring.kafka.streams.properties.heartbeat.interval.ms=1500");
                }
                out.add(one);
            }
        }
        return out;
    }

    /** The services that run as several instances in cluster mode ({@code --instances}). */
    static final java.util.Set<String> SCALING = java.util.Set.of("case-adoption-service", "measure-rollout-service",
            "outcome-reporting-service", "replication-status-service");

    private static List<ServiceSpec> singleServices() {
        return List.of(
                ServiceSpec.springBoot("catalog-service", "services/catalog-service/target/catalog-service.jar", 8090),
                ServiceSpec.springBoot("case-adoption-service", "services/case-adoption-service/target/case-adoption-service.jar", 8091),
                ServiceSpec.springBoot("measure-rollout-service", "services/measure-rollout-service/target/measure-rollout-service.jar", 8092),
                ServiceSpec.springBoot("outcome-reporting-service", "services/outcome-reporting-service/target/outcome-reporting-service.jar", 8093),
                ServiceSpec.springBoot("supervision-service", "services/supervision-service/target/supervision-service.jar", 8096),
                ServiceSpec.springBoot("replication-status-service", "services/replication-status-service/target/replication-status-service.jar", 8094)
                        .withArgs("--reform.status.state-dir={dataDir}/streams/{name}"),
                ServiceSpec.springBoot("one-network-gateway", "services/one-network-gateway/target/one-network-gateway.jar", 8095)
                        .withArgs("--reform.gateway.apps-file={repoRoot}/services/one-network-gateway/config/local-apps.yaml"),
                ServiceSpec.springBoot("notification-service", "services/notification-service/target/notification-service.jar", 8097)
                        .withArgs("--reform.notifications.state-dir={dataDir}/streams/{name}",
                                "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + LocalMail.SMTP_PORT),
                ServiceSpec.springBoot("dashboard", "services/dashboard/target/dashboard.jar", 8080)
        );
    }

    /** Where the running platform can be reached. */
    public record Endpoints(String kafkaBootstrapServers, String schemaRegistryUrl, Path dataDir, Path repoRoot) {
    }

    /**
     * Command line: {@code [stop] [--data-dir DIR] [--kafka-port N] [--controller-port N] [--registry-port N]
     * [--brokers N] [--instances N]}.
     */
    public record Options(boolean stop, boolean help, Path dataDir, int kafkaPort, int controllerPort, int registryPort,
                          int brokers, int instances, RestartPolicy restarts) {

        public Options(boolean stop, boolean help, Path dataDir, int kafkaPort, int controllerPort, int registryPort) {
            this(stop, help, dataDir, kafkaPort, controllerPort, registryPort, 1, 1);
        }

        public Options(boolean stop, boolean help, Path dataDir, int kafkaPort, int controllerPort, int registryPort,
                       int brokers, int instances) {
            this(stop, help, dataDir, kafkaPort, controllerPort, registryPort, brokers, instances, RestartPolicy.DEFAULT);
        }

        static final String USAGE = String.join(System.lineSeparator(),
                "usage / 用法: deploy/local/run [--no-build] [--data-dir DIR] [--kafka-port 9092] [--controller-port 9093] [--registry-port 8081]",
                "                               [--brokers 1] [--instances 1]",
                "              deploy/local/stop [--data-dir DIR]",
                "  --data-dir DIR         数据目录 / data dir (default: <repo>/.data)",
                "  --kafka-port N         Kafka 端口 / Kafka port (default 9092; 0 = any free port)",
                "  --controller-port N    KRaft 控制器端口 / KRaft controller port (default 9093)",
                "  --registry-port N      Schema Registry 端口 / schema registry port (default 8081)",
                "  --brokers N            Kafka 节点数 / Kafka nodes, each KRaft controller+broker (default 1, at most 9);",
                "                         node i listens on kafka-port+100*i, its controller on controller-port+100*i;",
                "                         from 3 nodes: replication factor 3, min.insync.replicas 2; data in <data-dir>/kafka-cluster",
                "  --instances N          每个可扩展服务的实例数 / instances of each scalable service (default 1, at most 9):",
                "                         case-adoption, measure-rollout, outcome-reporting and replication-status;",
                "                         instance i listens on the service's port+100*i (8091, 8191, 8291, ...)",
                "  --restart-limit N      子进程意外退出后自动重启;窗口内重启超过 N 次则停止全部 / a child that dies is restarted",
                "                         with back-off (1 s doubling to 30 s); after N restarts within the window the next",
                "                         failure stops everything (default 5; 0 = never restart)",
                "  --restart-window S     上述窗口的秒数 / that window in seconds (default 300)",
                "  cluster mode / 集群模式: deploy/local/run --brokers 3 --instances 3");

        static Options parse(String[] args, Path defaultDataDir) {
            boolean stop = false;
            boolean help = false;
            Path dataDir = defaultDataDir;
            int kafkaPort = 9092;
            int controllerPort = 9093;
            int registryPort = 8081;
            int brokers = 1;
            int instances = 1;
            int restartLimit = RestartPolicy.DEFAULT.limit();
            long restartWindow = RestartPolicy.DEFAULT.window().toSeconds();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "stop" -> stop = true;
                    case "-h", "--help", "help" -> help = true;
                    case "--data-dir" -> dataDir = Path.of(value != null ? value : next(args, ++i, arg));
                    case "--kafka-port" -> kafkaPort = port(value != null ? value : next(args, ++i, arg), arg);
                    case "--controller-port" -> controllerPort = port(value != null ? value : next(args, ++i, arg), arg);
                    case "--registry-port" -> registryPort = port(value != null ? value : next(args, ++i, arg), arg);
                    case "--brokers" -> brokers = count(value != null ? value : next(args, ++i, arg), arg);
                    case "--instances" -> instances = count(value != null ? value : next(args, ++i, arg), arg);
                    case "--restart-limit" -> restartLimit = (int) positive(value != null ? value : next(args, ++i, arg), arg, 0);
                    case "--restart-window" -> restartWindow = positive(value != null ? value : next(args, ++i, arg), arg, 1);
                    default -> throw new IllegalArgumentException("未知参数 / unknown argument: " + args[i]);
                }
            }
            return new Options(stop, help, dataDir.toAbsolutePath().normalize(), kafkaPort, controllerPort, registryPort,
                    brokers, instances, RestartPolicy.DEFAULT.withLimit(restartLimit, Duration.ofSeconds(restartWindow)));
        }

        private static long positive(String text, String option, long min) {
            try {
                long n = Long.parseLong(text.trim());
                if (n < min || n > 1_000_000) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": 应为不小于 " + min + " 的整数 / must be a whole number ≥ " + min + ": " + text);
            }
        }

        private static int count(String text, String option) {
            try {
                int n = Integer.parseInt(text.trim());
                if (n < 1 || n > 9) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": 应为 1 到 9 / must be 1 to 9: " + text);
            }
        }

        private static String next(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " 需要一个值 / needs a value");
            }
            return args[i];
        }

        private static int port(String text, String option) {
            try {
                int port = Integer.parseInt(text.trim());
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": 不是端口号 / not a port: " + text);
            }
        }
    }

    private final Options options;
    private final List<ServiceSpec> services;
    private final Path repoRoot;
    private final Path stateFile;
    private final List<ManagedProcess> serviceProcesses = Collections.synchronizedList(new ArrayList<>());
    private volatile KafkaBroker kafka;
    private volatile KafkaCluster cluster;
    private volatile ApicurioRegistry registry;
    private volatile LocalMail mail;
    private volatile boolean stopping;
    private boolean ownsStateFile;
    private volatile Map<String, String> serviceEnvironment = Map.of();
    private volatile Supervisor supervisor;

    LocalPlatform(Options options, List<ServiceSpec> services, Path repoRoot) {
        this.options = options;
        this.services = List.copyOf(services);
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
        this.stateFile = options.dataDir().resolve(STATE_FILE);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Environment variables for the service processes (e.g. {@code REFORM_SEEDS_DIR}); set before {@link #start()}. */
    public LocalPlatform withServiceEnvironment(Map<String, String> env) {
        this.serviceEnvironment = Map.copyOf(env);
        return this;
    }

    /** The whole platform with the given infrastructure ports, for tools that drive it (benchmarks, system tests). */
    public static LocalPlatform create(Path dataDir, int kafkaPort, int controllerPort, int registryPort, Path repoRoot) {
        return new LocalPlatform(new Options(false, false, dataDir, kafkaPort, controllerPort, registryPort), services(), repoRoot);
    }

    static Path repoRoot() {
        String configured = System.getProperty("reform.repo.root");
        return Path.of(configured != null && !configured.isBlank() ? configured : "").toAbsolutePath().normalize();
    }

    static int run(String[] args) {
        Options options;
        try {
            options = Options.parse(args, repoRoot().resolve(".data"));
        } catch (IllegalArgumentException e) {
            ERR.println(e.getMessage());
            ERR.println(Options.USAGE);
            return 2;
        }
        if (options.help()) {
            OUT.println(Options.USAGE);
            return 0;
        }
        if (options.stop()) {
            return stopCommand(options.dataDir());
        }
        LocalPlatform platform = new LocalPlatform(options, services(options.instances()), repoRoot());
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "reform-local-platform-shutdown"));
        try {
            platform.start();
        } catch (PortInUseException | AlreadyRunningException | IllegalArgumentException e) {
            ERR.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            if (!platform.stopping) {
                ERR.println();
                ERR.println("启动失败 / start failed: " + e.getMessage());
            }
            platform.close();
            return 1;
        }
        return platform.watch();
    }

    /** Starts Kafka and the registry (side by side), then the services; returns when all are ready. */
    public Endpoints start() {
        long t0 = System.nanoTime();
        Path dataDir = options.dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + dataDir, e);
        }
        refuseIfRunning();
        checkPorts();
        writeState(Map.of());
        ownsStateFile = true;
        supervisor = new Supervisor(options.restarts(), dataDir, OUT, ERR, () -> stopping, this::recordChildren);

        OUT.println("改革案例复制推广追踪平台 · 本地运行 / Reform replication platform · local run");
        OUT.println("  数据目录 / data dir:  " + dataDir);
        OUT.println("  日志 / logs:          " + dataDir.resolve("logs"));
        if (options.brokers() > 1 || options.instances() > 1) {
            OUT.println("  集群模式 / cluster mode: " + options.brokers() + " Kafka node(s), " + options.instances()
                    + " instance(s) of " + String.join(", ", SCALING.stream().sorted().toList()));
        }
        OUT.println("  正在启动 Kafka 与 Schema Registry / starting Kafka and the schema registry ...");

        CompletableFuture<Long> kafkaReady = CompletableFuture.supplyAsync(() -> {
            long t = System.nanoTime();
            if (options.brokers() > 1) {
                cluster = KafkaCluster.start(dataDir.resolve("kafka-cluster"), options.brokers(), options.kafkaPort(),
                        options.controllerPort(), ServiceSpec.INSTANCE_PORT_STEP);
            } else {
                kafka = KafkaBroker.start(dataDir, options.kafkaPort(), options.controllerPort());
            }
            return System.nanoTime() - t;
        });
        CompletableFuture<Long> registryReady = CompletableFuture.supplyAsync(() -> {
            long t = System.nanoTime();
            registry = ApicurioRegistry.start(dataDir, options.registryPort());
            return System.nanoTime() - t;
        });
        long kafkaNanos = join(kafkaReady, registryReady);
        long registryNanos = join(registryReady, kafkaReady);
        recordChildren();
        superviseInfrastructure();
        mail = LocalMail.start();
        Endpoints endpoints = new Endpoints(bootstrapServers(), registry.confluentApiUrl(), dataDir, repoRoot);
        OUT.printf(Locale.ROOT, "  Kafka 已就绪 / Kafka ready                        %-45s (%.1f s)%n",
                endpoints.kafkaBootstrapServers(), kafkaNanos / 1e9);
        OUT.printf(Locale.ROOT, "  Schema Registry 已就绪 / schema registry ready    %-45s (%.1f s)%n",
                endpoints.schemaRegistryUrl(), registryNanos / 1e9);

        // The services do not wait for one another (each follows the catalog topic and catches up when it
        // fills), so they start together: on two cores that is about twice as fast as one after another.
        long tServices = System.nanoTime();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceSpec service : services) {
            ManagedProcess process = launchService(service, endpoints);
            ready.add(CompletableFuture.runAsync(() -> {
                awaitFirstStart(service, endpoints, process);
                superviseService(service, endpoints);
                OUT.printf(Locale.ROOT, "  %s 已就绪 / ready%s%-45s (%.1f s)%n", service.name(),
                        " ".repeat(Math.max(1, 34 - service.name().length() - 13)), service.baseUrl(), (System.nanoTime() - tServices) / 1e9);
            }));
        }
        for (CompletableFuture<Void> f : ready) {
            try {
                f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw e;
            }
        }

        double total = (System.nanoTime() - t0) / 1e9;
        String sinceLaunch = String.format(Locale.ROOT, ", %.1f s since the JVM started / 自 JVM 启动",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        OUT.println();
        OUT.printf(Locale.ROOT, "全部就绪,用时 %.1f s / all ready in %.1f s%s%n", total, total, sinceLaunch);
        OUT.println("  Kafka bootstrap servers:        " + endpoints.kafkaBootstrapServers());
        OUT.println("  schema.registry.url:            " + endpoints.schemaRegistryUrl());
        for (ServiceSpec service : services) {
            OUT.printf("  %-31s %s%n", service.name() + ":", service.baseUrl());
        }
        for (String line : LocalMail.summary()) {
            OUT.println(line);
        }
        OUT.println("按 Ctrl-C 停止,或在另一个终端运行 deploy/local/stop / Ctrl-C to stop, or run deploy/local/stop in another terminal");
        return endpoints;
    }

    private String bootstrapServers() {
        KafkaCluster c = cluster;
        return c != null ? c.bootstrapServers() : kafka.bootstrapServers();
    }

    private static long join(CompletableFuture<Long> mine, CompletableFuture<Long> other) {
        try {
            return mine.join();
        } catch (CompletionException e) {
            other.exceptionally(t -> 0L).join(); // let the other finish so that close() sees it
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private ManagedProcess launchService(ServiceSpec service, Endpoints endpoints) {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
        Path jar = service.jarPath(repoRoot);
        if (jar != null && !Files.isRegularFile(jar)) {
            throw new IllegalStateException(service.name() + ": 找不到 / missing " + jar
                    + " — build it: mvn -B -DskipTests install (or run deploy/local/run without --no-build)");
        }
        ManagedProcess process = ManagedProcess.start(service.name(),
                ManagedProcess.javaCommand(service.resolvedArgs(endpoints)), serviceEnvironment, repoRoot,
                options.dataDir().resolve("logs").resolve(service.name() + ".log"));
        synchronized (serviceProcesses) {
            int previous = -1;
            for (int i = 0; i < serviceProcesses.size(); i++) {
                if (serviceProcesses.get(i).name().equals(service.name())) {
                    previous = i;
                }
            }
            if (previous >= 0) {
                serviceProcesses.set(previous, process); // a restart keeps its place in the stop order
            } else {
                serviceProcesses.add(process);
            }
        }
        recordChildren();
        return process;
    }

    /**
     * Waits until a service is ready; one that dies while starting (e.g. its Kafka client times out on a
     * loaded machine) is started again with the same back-off and limit as a running one.
     */
    private void awaitFirstStart(ServiceSpec service, Endpoints endpoints, ManagedProcess first) {
        RestartPolicy.History history = options.restarts().history();
        ManagedProcess process = first;
        while (true) {
            try {
                process.awaitReady(service.readyTimeout(), () -> ManagedProcess.httpOk(service.readinessUrl()));
                return;
            } catch (IllegalStateException e) {
                if (stopping) {
                    throw e;
                }
                RestartPolicy.Decision decision = history.onFailure(java.time.Instant.now());
                if (!(decision instanceof RestartPolicy.Restart restart)) {
                    throw e;
                }
                String why = e.getMessage().lines().findFirst().orElse("");
                ERR.printf(Locale.ROOT, "[supervisor] %s 启动失败(%s);%.1f s 后第 %d 次重启 / failed to start; restart #%d in %.1f s%n",
                        service.name(), why, restart.delay().toMillis() / 1e3, restart.number(), restart.number(),
                        restart.delay().toMillis() / 1e3);
                try {
                    Thread.sleep(restart.delay().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                process = launchService(service, endpoints);
            }
        }
    }

    private ManagedProcess serviceProcess(String name) {
        synchronized (serviceProcesses) {
            for (ManagedProcess p : serviceProcesses) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Restarts the service on its port with its data (Streams state dir) when it dies. */
    private void superviseService(ServiceSpec service, Endpoints endpoints) {
        supervisor.supervise(service.name(), () -> serviceProcess(service.name()), () -> {
            ManagedProcess again = launchService(service, endpoints);
            again.awaitReady(service.readyTimeout(), () -> ManagedProcess.httpOk(service.readinessUrl()));
        });
    }

    /** Kafka (each node of a cluster) and the registry restart on their ports and data dirs when they die. */
    private void superviseInfrastructure() {
        KafkaBroker k = kafka;
        if (k != null) {
            supervisor.supervise(k.processName(), k::process, k::restart);
        }
        KafkaCluster c = cluster;
        if (c != null) {
            for (KafkaBroker node : c.nodes()) {
                supervisor.supervise(node.processName(), node::process, node::restart);
            }
        }
        ApicurioRegistry r = registry;
        if (r != null) {
            supervisor.supervise("apicurio-registry", r::process, r::restart);
        }
    }

    /**
     * Watches another child (e.g. an identity provider started beside Kafka): restarted with back-off when
     * it dies, like every other child. {@code relaunch} starts it again and returns once it is ready.
     */
    public void supervise(String name, java.util.function.Supplier<ManagedProcess> current, Runnable relaunch) {
        supervisor.supervise(name, current, relaunch);
    }

    /** Restarts per child since start (also in {@code <data-dir>/supervision.properties}). */
    public Map<String, Integer> restartCounts() {
        Supervisor s = supervisor;
        return s == null ? Map.of() : s.restartCounts();
    }

    /**
     * Blocks until this JVM shuts down (Ctrl-C, deploy/local/stop), restarting children that die on their
     * own; returns 1 when one keeps failing past the restart limit (after stopping the rest).
     */
    int watch() {
        while (true) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (stopping) {
                continue; // the shutdown hook is at work; the JVM ends when it is done
            }
            String fatal = supervisor.check();
            if (fatal != null && !stopping) {
                ERR.println();
                ERR.println(fatal);
                close();
                return 1;
            }
        }
    }

    private List<ManagedProcess> children() {
        List<ManagedProcess> children = new ArrayList<>();
        KafkaBroker k = kafka;
        ApicurioRegistry r = registry;
        if (k != null && k.process() != null) {
            children.add(k.process());
        }
        KafkaCluster c = cluster;
        if (c != null) {
            children.addAll(c.processes());
        }
        if (r != null && r.process() != null) {
            children.add(r.process());
        }
        synchronized (serviceProcesses) {
            children.addAll(serviceProcesses);
        }
        return children;
    }

    /**
     * Stops the running instances of one service (by its name, e.g. {@code replication-status-service}) and
     * forgets them, leaving the rest running: the benchmark's rebuild stops the platform's own status
     * service, which would otherwise fold the same events on the same cores. Returns how many were stopped.
     */
    public int stopService(String name) {
        List<ManagedProcess> matching = new ArrayList<>();
        synchronized (serviceProcesses) {
            for (ManagedProcess p : serviceProcesses) {
                if (p.name().equals(name) || p.name().startsWith(name + "-")) {
                    matching.add(p);
                }
            }
            serviceProcesses.removeAll(matching);
        }
        Supervisor s = supervisor;
        if (s != null) {
            matching.forEach(p -> s.forget(p.name()));
        }
        matching.forEach(ManagedProcess::stop);
        return matching.size();
    }

    /** Stops the services in reverse order, then the registry and Kafka; idempotent. */
    @Override
    public synchronized void close() {
        boolean first = !stopping;
        stopping = true;
        Supervisor s = supervisor;
        if (s != null) {
            s.shutdown();
        }
        boolean anything = kafka != null || cluster != null || registry != null || !serviceProcesses.isEmpty();
        if (first && anything) {
            OUT.println();
            OUT.println("正在停止 / stopping ...");
        }
        List<ManagedProcess> reversed;
        synchronized (serviceProcesses) {
            reversed = new ArrayList<>(serviceProcesses);
        }
        Collections.reverse(reversed);
        for (ManagedProcess process : reversed) {
            process.stop();
        }
        if (mail != null) {
            mail.close();
            mail = null;
        }
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (ownsStateFile) {
            try {
                Files.deleteIfExists(stateFile);
            } catch (IOException ignored) {
                // a stale state file is detected and replaced by the next run
            }
            ownsStateFile = false;
            if (first && anything) {
                OUT.println("已停止 / stopped");
            }
        }
    }

    private void refuseIfRunning() {
        Map<String, String> state = readState(stateFile);
        if (state.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> launcher = liveProcess(state, "pid", "start");
        boolean self = launcher.isPresent() && launcher.get().pid() == ProcessHandle.current().pid();
        if (launcher.isPresent() && (self || !waitFor(launcher.get(), Duration.ofSeconds(3)))) { // it may just be dying
            throw new AlreadyRunningException("本地平台已在运行 (pid " + launcher.get().pid() + ", 数据目录 " + options.dataDir()
                    + ") — 先运行 deploy/local/stop / the local platform is already running with this data dir"
                    + " — run deploy/local/stop first");
        }
        // A launcher that died without cleaning up (kill -9): its children end by themselves; make sure.
        stopLeftovers(state);
    }

    private void checkPorts() {
        Map<Integer, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < options.brokers(); i++) {
            int step = ServiceSpec.INSTANCE_PORT_STEP * i;
            claim(wanted, options.kafkaPort() == 0 ? 0 : options.kafkaPort() + step, KafkaBroker.PORT_OPTION);
            claim(wanted, options.controllerPort() == 0 ? 0 : options.controllerPort() + step, KafkaBroker.CONTROLLER_PORT_OPTION);
        }
        claim(wanted, options.registryPort(), ApicurioRegistry.PORT_OPTION);
        for (ServiceSpec service : services) {
            claim(wanted, service.port(), "the port of " + service.name() + " in LocalPlatform.services()");
        }
        for (Map.Entry<Integer, String> entry : wanted.entrySet()) {
            Ports.requireFree(entry.getKey(), entry.getValue());
        }
    }

    private static void claim(Map<Integer, String> wanted, int port, String option) {
        if (port == 0) {
            return;
        }
        String previous = wanted.putIfAbsent(port, option);
        if (previous != null) {
            throw new IllegalArgumentException("端口 " + port + " 被指定了两次 / port " + port + " is given twice: "
                    + previous + " and " + option);
        }
    }

    private void recordChildren() {
        Map<String, String> children = new LinkedHashMap<>();
        for (ManagedProcess process : children()) {
            children.put("child." + process.name() + ".pid", Long.toString(process.pid()));
            process.handle().info().startInstant().ifPresent(
                    s -> children.put("child." + process.name() + ".start", Long.toString(s.toEpochMilli())));
        }
        KafkaBroker k = kafka;
        ApicurioRegistry r = registry;
        if (k != null) {
            children.put("kafka.bootstrap.servers", k.bootstrapServers());
        }
        KafkaCluster c = cluster;
        if (c != null) {
            children.put("kafka.bootstrap.servers", c.bootstrapServers());
        }
        if (r != null) {
            children.put("schema.registry.url", r.confluentApiUrl());
        }
        writeState(children);
    }

    /** Synchronized: restarts record their new pids from several threads, and the file is replaced through one temp file. */
    private void writeState(Map<String, String> extra) {
        synchronized (stateLock) {
            writeStateLocked(extra);
        }
    }

    private final Object stateLock = new Object();

    private void writeStateLocked(Map<String, String> extra) {
        ProcessHandle self = ProcessHandle.current();
        StringBuilder text = new StringBuilder("# reform local platform: deploy/local/stop reads this; removed on a clean stop\n");
        text.append("pid=").append(self.pid()).append('\n');
        self.info().startInstant().ifPresent(s -> text.append("start=").append(s.toEpochMilli()).append('\n'));
        extra.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Path tmp = stateFile.resolveSibling(STATE_FILE + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile, e);
        }
    }

    static Map<String, String> readState(Path file) {
        Map<String, String> state = new LinkedHashMap<>();
        try {
            if (!Files.isRegularFile(file)) {
                return state;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    state.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            // unreadable: treat as absent
        }
        return state;
    }

    /** The process named by {@code pidKey} if it still runs and is the same process (same start time). */
    static Optional<ProcessHandle> liveProcess(Map<String, String> state, String pidKey, String startKey) {
        try {
            long pid = Long.parseLong(state.getOrDefault(pidKey, "-1"));
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            String start = state.get(startKey);
            if (handle.isEmpty() || start == null) {
                return handle;
            }
            long expected = Long.parseLong(start);
            return handle.filter(h -> h.info().startInstant()
                    .map(s -> Math.abs(s.toEpochMilli() - expected) < 2_000).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code stop}: signals the launcher (which stops its children in order) and waits for it. */
    static int stopCommand(Path dataDir) {
        Path file = dataDir.resolve(STATE_FILE);
        Map<String, String> state = readState(file);
        if (state.isEmpty()) {
            OUT.println("本地平台未在运行 / the local platform is not running (no " + file + ")");
            return 0;
        }
        Optional<ProcessHandle> launcher = liveProcess(state, "pid", "start");
        if (launcher.isPresent()) {
            OUT.println("正在停止本地平台 (pid " + launcher.get().pid() + ") / stopping the local platform ...");
            launcher.get().destroy();
            if (!waitFor(launcher.get(), Duration.ofSeconds(90))) {
                ERR.println("启动器未能在 90 s 内停止,强制结束 / the launcher did not stop within 90 s; killing it");
                launcher.get().destroyForcibly();
                waitFor(launcher.get(), Duration.ofSeconds(10));
            }
        }
        stopLeftovers(state);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing more to do
        }
        OUT.println("已停止 / stopped");
        return 0;
    }

    private static void stopLeftovers(Map<String, String> state) {
        for (String key : state.keySet()) {
            if (key.startsWith("child.") && key.endsWith(".pid")) {
                String prefix = key.substring(0, key.length() - ".pid".length());
                liveProcess(state, key, prefix + ".start").ifPresent(child -> {
                    OUT.println("  停止遗留进程 / stopping leftover " + prefix.substring("child.".length()) + " (pid " + child.pid() + ")");
                    child.destroy();
                    if (!waitFor(child, ManagedProcess.DEFAULT_STOP_GRACE)) {
                        child.destroyForcibly();
                        waitFor(child, Duration.ofSeconds(10));
                    }
                });
            }
        }
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    KafkaBroker kafka() {
        return kafka;
    }

    ApicurioRegistry registry() {
        return registry;
    }

    /** Another launcher already runs with the same data dir. */
    static final class AlreadyRunningException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(String message) {
            super(message);
        }
    }
}
