package sh.reform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sh.reform.local.infra.PortInUseException;
import sh.reform.local.infra.Ports;

class LocalPlatformTest {

    @TempDir
    Path dataDir;

    @Test
    void parsesOptions() {
        LocalPlatform.Options defaults = LocalPlatform.Options.parse(new String[0], Path.of("/repo/.data"));
        assertThat(defaults).isEqualTo(new LocalPlatform.Options(false, false, Path.of("/repo/.data"), 9092, 9093, 8081));
        LocalPlatform.Options custom = LocalPlatform.Options.parse(
                new String[] {"--data-dir", "/tmp/x", "--kafka-port=19092", "--controller-port", "19093", "--registry-port=18081"},
                Path.of("/repo/.data"));
        assertThat(custom).isEqualTo(new LocalPlatform.Options(false, false, Path.of("/tmp/x"), 19092, 19093, 18081));
        assertThat(LocalPlatform.Options.parse(new String[] {"stop"}, Path.of("/d")).stop()).isTrue();
        assertThatThrownBy(() -> LocalPlatform.Options.parse(new String[] {"--kafka-port", "x"}, Path.of("/d")))
                .hasMessageContaining("not a port");
        assertThatThrownBy(() -> LocalPlatform.Options.parse(new String[] {"--bogus"}, Path.of("/d")))
                .hasMessageContaining("unknown argument");
        LocalPlatform.Options cluster = LocalPlatform.Options.parse(new String[] {"--brokers", "3", "--instances=3"}, Path.of("/d"));
        assertThat(cluster.brokers()).isEqualTo(3);
        assertThat(cluster.instances()).isEqualTo(3);
        assertThatThrownBy(() -> LocalPlatform.Options.parse(new String[] {"--brokers", "0"}, Path.of("/d")))
                .hasMessageContaining("1 to 9");
    }

    @Test
    void clusterModeGivesEveryInstanceItsOwnPortNameAndStateDir() {
        List<ServiceSpec> services = LocalPlatform.services(3);
        assertThat(services).extracting(ServiceSpec::port).doesNotHaveDuplicates();
        assertThat(services).extracting(ServiceSpec::name).doesNotHaveDuplicates();
        assertThat(services).extracting(ServiceSpec::name).contains("case-adoption-service", "case-adoption-service-2",
                "case-adoption-service-3", "replication-status-service-3", "one-network-gateway", "dashboard")
                .doesNotContain("dashboard-2", "catalog-service-2");
        assertThat(services.stream().filter(s -> s.name().startsWith("replication-status-service")).map(ServiceSpec::port))
                .containsExactly(8094, 8194, 8294);
        LocalPlatform.Endpoints endpoints = new LocalPlatform.Endpoints("k", "r", Path.of("/data"), Path.of("/repo"));
        ServiceSpec third = services.stream().filter(s -> s.name().equals("replication-status-service-3")).findFirst().orElseThrow();
        assertThat(third.resolvedArgs(endpoints)).contains("--server.port=8294", "--reform.status.state-dir=/data/streams/replication-status-service-3",
                "--spring.kafka.streams.properties.num.standby.replicas=1");
        assertThat(LocalPlatform.services(1)).extracting(ServiceSpec::port).containsExactly(8090, 8091, 8092, 8093, 8096, 8094, 8095, 8097, 8080);
    }

    @Test
    void startsInfrastructureThenServicesAndStopsEverything() throws Exception {
        int servicePort = Ports.freePort();
        Path testClasses = Path.of(HealthServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ServiceSpec service = ServiceSpec.java("health-stub", servicePort, "/actuator/health",
                List.of("-Xmx32m", "-cp", testClasses.toString(), HealthServer.class.getName(), "{port}", "{kafka}"));
        LocalPlatform.Options options = new LocalPlatform.Options(false, false, dataDir, 0, 0, 0);

        List<ProcessHandle> children;
        try (LocalPlatform platform = new LocalPlatform(options, List.of(service), dataDir)) {
            LocalPlatform.Endpoints endpoints = platform.start();
            assertThat(endpoints.kafkaBootstrapServers()).isEqualTo(platform.kafka().bootstrapServers());
            assertThat(endpoints.schemaRegistryUrl()).endsWith("/apis/ccompat/v7");
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.readinessUrl())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains(endpoints.kafkaBootstrapServers()); // placeholders are filled in

            Map<String, String> state = LocalPlatform.readState(dataDir.resolve(LocalPlatform.STATE_FILE));
            assertThat(state).containsEntry("pid", Long.toString(ProcessHandle.current().pid()))
                    .containsKeys("child.kafka-broker.pid", "child.apicurio-registry.pid", "child.health-stub.pid")
                    .containsEntry("kafka.bootstrap.servers", endpoints.kafkaBootstrapServers());
            children = state.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("child.") && e.getKey().endsWith(".pid"))
                    .map(e -> ProcessHandle.of(Long.parseLong(e.getValue())).orElseThrow())
                    .toList();
            assertThat(children).hasSize(3).allMatch(ProcessHandle::isAlive);

            // A second launcher on the same data dir is refused.
            LocalPlatform second = new LocalPlatform(options, List.of(), dataDir);
            assertThatThrownBy(second::start).isInstanceOf(LocalPlatform.AlreadyRunningException.class)
                    .hasMessageContaining("deploy/local/stop");
        }
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(dataDir.resolve(LocalPlatform.STATE_FILE)).doesNotExist();
        assertThat(dataDir.resolve("logs/health-stub.log")).exists();
    }

    /**
     * kill -9 of the broker and of a service: each comes back by itself on its port with its data (the
     * topic created before the kill is still there); the restart counts are in supervision.properties; a
     * child killed again past the limit (here 1 restart) stops everything, saying which.
     */
    @Test
    void restartsChildrenThatDieAndGivesUpPastTheLimit() throws Exception {
        int servicePort = Ports.freePort();
        Path testClasses = Path.of(HealthServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ServiceSpec service = ServiceSpec.java("health-stub", servicePort, "/actuator/health",
                List.of("-Xmx32m", "-cp", testClasses.toString(), HealthServer.class.getName(), "{port}", "{kafka}"));
        LocalPlatform.Options options = new LocalPlatform.Options(false, false, dataDir, 0, 0, 0, 1, 1,
                RestartPolicy.DEFAULT.withLimit(1, java.time.Duration.ofMinutes(10)));
        Path status = dataDir.resolve(Supervisor.STATUS_FILE);
        try (LocalPlatform platform = new LocalPlatform(options, List.of(service), dataDir)) {
            LocalPlatform.Endpoints endpoints = platform.start();
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("survives-restart", 1, (short) 1))).all().get();
            }
            java.util.concurrent.CompletableFuture<Integer> watching = java.util.concurrent.CompletableFuture.supplyAsync(platform::watch);

            long brokerPid = pid("kafka-broker");
            ProcessHandle.of(brokerPid).orElseThrow().destroyForcibly(); // SIGKILL
            await(() -> "running".equals(LocalPlatform.readState(status).get("kafka-broker.state"))
                    && "1".equals(LocalPlatform.readState(status).get("kafka-broker.restarts")));
            assertThat(LocalPlatform.readState(status)).containsEntry("kafka-broker.lastExitCode", "137");
            assertThat(pid("kafka-broker")).isNotEqualTo(brokerPid);
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("survives-restart"); // its data stayed put
            }

            long stubPid = pid("health-stub");
            ProcessHandle.of(stubPid).orElseThrow().destroyForcibly();
            await(() -> "1".equals(LocalPlatform.readState(status).get("health-stub.restarts"))
                    && "running".equals(LocalPlatform.readState(status).get("health-stub.state"))
                    && sh.reform.local.infra.ManagedProcess.httpOk(service.readinessUrl()));
            assertThat(platform.restartCounts()).containsEntry("health-stub", 1).containsEntry("kafka-broker", 1)
                    .containsEntry("apicurio-registry", 0);
            assertThat(java.nio.file.Files.readString(dataDir.resolve("logs/health-stub.log")))
                    .contains("exited unexpectedly with code 137; restart #1", "restarted and ready (restart #1");

            long restartedBroker = pid("kafka-broker");
            ProcessHandle.of(pid("health-stub")).orElseThrow().destroyForcibly(); // past the limit: everything stops
            assertThat(watching.get(2, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(1);
            assertThat(LocalPlatform.readState(status)).containsEntry("health-stub.state", "failed");
            assertThat(ProcessHandle.of(restartedBroker).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    private long pid(String child) {
        return Long.parseLong(LocalPlatform.readState(dataDir.resolve(LocalPlatform.STATE_FILE)).get("child." + child + ".pid"));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 3 minutes").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void clusterModeStartsThreeKafkaNodesAndStopsThemAll() throws Exception {
        int servicePort = Ports.freePort();
        Path testClasses = Path.of(HealthServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ServiceSpec service = ServiceSpec.java("health-stub", servicePort, "/actuator/health",
                List.of("-Xmx32m", "-cp", testClasses.toString(), HealthServer.class.getName(), "{port}", "{kafka}"));
        LocalPlatform.Options options = new LocalPlatform.Options(false, false, dataDir, 0, 0, 0, 3, 1);

        List<ProcessHandle> children;
        try (LocalPlatform platform = new LocalPlatform(options, List.of(service), dataDir)) {
            LocalPlatform.Endpoints endpoints = platform.start();
            assertThat(endpoints.kafkaBootstrapServers().split(",")).hasSize(3);
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.readinessUrl())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains(endpoints.kafkaBootstrapServers());
            Map<String, String> state = LocalPlatform.readState(dataDir.resolve(LocalPlatform.STATE_FILE));
            assertThat(state).containsKeys("child.kafka-node-1.pid", "child.kafka-node-2.pid", "child.kafka-node-3.pid",
                    "child.apicurio-registry.pid", "child.health-stub.pid")
                    .containsEntry("kafka.bootstrap.servers", endpoints.kafkaBootstrapServers());
            children = state.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("child.") && e.getKey().endsWith(".pid"))
                    .map(e -> ProcessHandle.of(Long.parseLong(e.getValue())).orElseThrow())
                    .toList();
            assertThat(children).hasSize(5).allMatch(ProcessHandle::isAlive);
            assertThat(dataDir.resolve("kafka-cluster/node-3/kafka/meta.properties")).exists();
        }
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void refusesATakenPortBeforeStartingAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
            int port = taken.getLocalPort();
            LocalPlatform platform = new LocalPlatform(new LocalPlatform.Options(false, false, dataDir, 0, 0, port), List.of(), dataDir);
            assertThatThrownBy(platform::start).isInstanceOf(PortInUseException.class)
                    .hasMessage("端口 " + port + " 已被占用 / port " + port + " is already in use — set --registry-port");
            platform.close();
        }
        assertThat(dataDir.resolve(LocalPlatform.STATE_FILE)).doesNotExist();
        assertThat(dataDir.resolve("logs")).doesNotExist();
    }

    @Test
    void stopWithNothingRunningSaysSo() {
        assertThat(LocalPlatform.stopCommand(dataDir)).isZero();
    }
}
