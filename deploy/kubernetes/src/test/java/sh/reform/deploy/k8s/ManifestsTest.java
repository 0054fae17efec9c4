package sh.reform.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.topics.Topics;

/**
 * Every manifest under {@code manifests/} parsed into the typed Kubernetes (fabric8) and Strimzi models,
 * strictly (see {@link StrictManifests}), and checked against the project itself: the topic catalog, the
 * services' {@code application.yaml}, probes and resources. No cluster and no network.
 */
class ManifestsTest {

    /** The project's own services, by image name; each must have a workload here, and vice versa. */
    static final Set<String> SERVICES = Set.of("catalog-service", "case-adoption-service", "measure-rollout-service",
            "outcome-reporting-service", "supervision-service", "replication-status-service", "one-network-gateway",
            "notification-service", "dashboard");
    /** Stateless REST → Kafka services on the shared reporting path: scaled by an HPA on CPU. */
    static final Set<String> AUTOSCALED = Set.of("case-adoption-service", "measure-rollout-service", "outcome-reporting-service",
            "supervision-service");
    /** Kafka Streams services with RocksDB state: StatefulSets with a claim for the state dir. */
    static final Set<String> STATEFUL = Set.of("replication-status-service", "notification-service");
    /**
     * Spring Boot's own {@code @ConfigurationProperties} a service binds because its pom has the starter
     * (artifact id → properties class, environment prefix). Only what the services here use.
     */
    static final Map<String, Map.Entry<Class<?>, String>> STARTER_PROPERTIES = Map.of(
            "spring-boot-starter-mail", Map.entry(org.springframework.boot.mail.autoconfigure.MailProperties.class, "SPRING_MAIL"));
    static final String IMAGE_PREFIX = "ghcr.io/reform-tracker/";
    /** Read by the JVM itself, not by Spring: allowed in every container. */
    static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");
    /** What kustomization.yaml may say (no kustomize model on the classpath: a hand-listed set). */
    static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources");

    static Path module;
    static Path repo;
    static final List<StrictManifests.Doc> docs = new ArrayList<>();
    static final List<HasMetadata> resources = new ArrayList<>();
    static final StrictManifests strict = new StrictManifests();

    @BeforeAll
    static void readAll() throws IOException {
        module = TopicManifestsTest.moduleDir();
        repo = module.resolve("../..").normalize();
        for (Path file : StrictManifests.yamlFiles(module.resolve("manifests"))) {
            docs.addAll(StrictManifests.documents(file));
        }
        for (StrictManifests.Doc d : docs) {
            resources.add(strict.parse(d));
        }
    }

    static <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    // ---------------------------------------------------------------- parsing, strictly

    @Test
    void everyManifestParsesIntoItsTypedModel() {
        assertThat(docs).hasSizeGreaterThan(20);
        assertThat(resources).hasSameSizeAs(docs);
        for (int i = 0; i < docs.size(); i++) {
            assertThat(resources.get(i).getMetadata().getName()).as("%s has a name", docs.get(i)).isNotBlank();
            assertThat(resources.get(i).getMetadata().getNamespace())
                    .as("%s: the namespace comes from kustomization.yaml", docs.get(i)).isNull();
        }
        Set<String> seen = new HashSet<>();
        for (HasMetadata r : resources) {
            assertThat(seen.add(r.getKind() + "/" + r.getMetadata().getName())).as("duplicate %s %s", r.getKind(), r.getMetadata().getName()).isTrue();
        }
    }

    @Test
    void aMisspelledFieldIsRefusedNotDropped() throws IOException {
        Path invalid = module.resolve("src/test/resources/invalid");
        assertThatThrownBy(() -> strict.parse(StrictManifests.documents(invalid.resolve("misspelled-probe.yaml")).get(0)))
                .hasMessageContaining("Unrecognized property").hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> strict.parse(StrictManifests.documents(invalid.resolve("misspelled-topic.yaml")).get(0)))
                .hasMessageContaining("partitons");
        assertThatThrownBy(() -> strict.parse(StrictManifests.documents(invalid.resolve("misspelled-nodepool-storage.yaml")).get(0)))
                .hasMessageContaining("deleteClam");
        assertThatThrownBy(() -> strict.parse(StrictManifests.documents(invalid.resolve("additional-properties.yaml")).get(0)))
                .hasMessageContaining("additionalProperties");
        assertThatThrownBy(() -> strict.parse(StrictManifests.documents(invalid.resolve("wrong-type.yaml")).get(0)))
                .hasMessageContaining("two");
        assertThatThrownBy(() -> StrictManifests.documents(invalid.resolve("duplicate-key.yaml")))
                .hasMessageContaining("KAFKA_BOOTSTRAP");
        // The same documents with the typo fixed parse: it is the typo that is refused, nothing else.
        String fixed = Files.readString(invalid.resolve("misspelled-probe.yaml")).replace("readinesProbe", "readinessProbe");
        Path tmp = Files.createTempFile("fixed", ".yaml");
        Files.writeString(tmp, fixed);
        Deployment d = (Deployment) strict.parse(StrictManifests.documents(tmp).get(0));
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/actuator/health/readiness");
        Files.delete(tmp);
    }

    @Test
    void kustomizationListsEveryManifestAndNothingElse() throws IOException {
        Map<String, Object> k = new Yaml().load(Files.readString(module.resolve("kustomization.yaml")));
        assertThat(KUSTOMIZATION_FIELDS).containsAll(k.keySet());
        assertThat(k).containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1").containsEntry("kind", "Kustomization")
                .containsEntry("namespace", "reform");
        @SuppressWarnings("unchecked")
        List<String> listed = (List<String>) k.get("resources");
        Set<String> files = new TreeSet<>();
        for (Path p : StrictManifests.yamlFiles(module.resolve("manifests"))) {
            files.add(module.relativize(p).toString().replace('\\', '/'));
        }
        assertThat(new TreeSet<>(listed)).isEqualTo(files);
        assertThat(listed).hasSameSizeAs(files);
        assertThat(all(io.fabric8.kubernetes.api.model.Namespace.class)).extracting(n -> n.getMetadata().getName()).containsExactly("reform");
    }

    // ---------------------------------------------------------------- Kafka and topics

    @Test
    void kafkaIsKraftWithThreeCombinedNodesReplicationThreeAndMinIsrTwo() {
        Kafka kafka = named(Kafka.class, TopicManifests.CLUSTER);
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertThat(config).containsEntry("default.replication.factor", 3).containsEntry("min.insync.replicas", 2)
                .containsEntry("offsets.topic.replication.factor", 3).containsEntry("transaction.state.log.replication.factor", 3)
                .containsEntry("transaction.state.log.min.isr", 2);
        assertThat(kafka.getMetadata().getAnnotations()).containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        assertThat(kafka.getSpec().getEntityOperator().getTopicOperator()).isNotNull();
        assertThat(kafka.getSpec().getKafka().getListeners()).anySatisfy(l -> assertThat(l.getPort()).isEqualTo(9092));

        List<KafkaNodePool> pools = all(KafkaNodePool.class);
        assertThat(pools).hasSize(1);
        KafkaNodePool pool = pools.get(0);
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", TopicManifests.CLUSTER);
        assertThat(pool.getSpec().getReplicas()).isEqualTo(3);
        assertThat(pool.getSpec().getRoles()).containsExactlyInAnyOrder(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        assertThat(pool.getSpec().getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(pool.getSpec().getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(TopicManifests.PRODUCTION.replicationFactor()).isEqualTo((short) 3);
        assertThat(TopicManifests.PRODUCTION.minInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void kafkaTopicsAreExactlyTheCatalogsTopics() {
        assertThat(topicProblems(all(KafkaTopic.class), TopicManifests.PRODUCTION))
                .as("KafkaTopics against the catalog; regenerate with: %s", TopicManifests.REGENERATE_COMMAND).isEmpty();
        Map<String, Integer> partitions = all(KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t.getSpec().getPartitions()));
        // Co-partitioning: the three event topics have one partition count.
        assertThat(Topics.EVENTS.stream().map(t -> partitions.get(t.name())).distinct()).hasSize(1);
    }

    @Test
    void aKafkaTopicTheCatalogLacksOrACatalogTopicWithoutOneIsCaught() {
        List<KafkaTopic> topics = new ArrayList<>(all(KafkaTopic.class));
        KafkaTopic dropped = topics.stream().filter(t -> t.getSpec().getTopicName().equals("reform.measure-rollout.dlq")).findFirst().orElseThrow();
        topics.remove(dropped);
        KafkaTopic stray = strict.serializationCopy(dropped);
        stray.getMetadata().setName("reform.measure-rollout-v2");
        stray.getSpec().setTopicName("reform.measure-rollout-v2");
        topics.add(stray);
        KafkaTopic changed = strict.serializationCopy(topics.stream().filter(t -> t.getSpec().getTopicName().equals("reform.outcome-reporting")).findFirst().orElseThrow());
        changed.getSpec().setPartitions(12);
        topics.replaceAll(t -> t.getSpec().getTopicName().equals("reform.outcome-reporting") ? changed : t);

        assertThat(topicProblems(topics, TopicManifests.PRODUCTION)).containsExactlyInAnyOrder(
                "KafkaTopic reform.measure-rollout-v2: not a topic of the catalog (sh.reform.shared.topics.Topics)",
                "reform.measure-rollout.dlq: in the catalog but has no KafkaTopic",
                "reform.outcome-reporting: partitions 12, the catalog says 24");
    }

    /** What differs between the KafkaTopics and the topics the catalog creates ({@link TopicCatalog#newTopics()}). */
    static List<String> topicProblems(List<KafkaTopic> topics, TopicCatalog catalog) {
        List<String> problems = new ArrayList<>();
        Map<String, KafkaTopic> byName = new LinkedHashMap<>();
        for (KafkaTopic t : topics) {
            String name = t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName();
            if (byName.put(name, t) != null) {
                problems.add(name + ": more than one KafkaTopic");
            }
            if (!TopicManifests.CLUSTER.equals(t.getMetadata().getLabels().get("strimzi.io/cluster"))) {
                problems.add(name + ": label strimzi.io/cluster is not " + TopicManifests.CLUSTER);
            }
        }
        Map<String, NewTopic> expected = catalog.newTopics().stream()
                .collect(Collectors.toMap(NewTopic::name, t -> t, (a, b) -> a, LinkedHashMap::new));
        byName.keySet().stream().filter(n -> !expected.containsKey(n)).sorted()
                .forEach(n -> problems.add("KafkaTopic " + n + ": not a topic of the catalog (sh.reform.shared.topics.Topics)"));
        for (NewTopic e : expected.values()) {
            KafkaTopic actual = byName.get(e.name());
            if (actual == null) {
                problems.add(e.name() + ": in the catalog but has no KafkaTopic");
                continue;
            }
            if (!Objects.equals(actual.getSpec().getPartitions(), e.numPartitions())) {
                problems.add(e.name() + ": partitions " + actual.getSpec().getPartitions() + ", the catalog says " + e.numPartitions());
            }
            if (!Objects.equals(actual.getSpec().getReplicas(), (int) e.replicationFactor())) {
                problems.add(e.name() + ": replicas " + actual.getSpec().getReplicas() + ", the catalog says " + e.replicationFactor());
            }
            Map<String, String> configs = new HashMap<>();
            if (actual.getSpec().getConfig() != null) {
                actual.getSpec().getConfig().forEach((k, v) -> configs.put(k, String.valueOf(v)));
            }
            if (!configs.equals(e.configs())) {
                problems.add(e.name() + ": config " + new java.util.TreeMap<>(configs) + ", the catalog says " + new java.util.TreeMap<>(e.configs()));
            }
        }
        return problems;
    }

    @Test
    void servicesCreateTopicsWithTheSameSettingsAsTheKafkaTopics() {
        Map<String, String> platform = named(ConfigMap.class, "reform-platform").getData();
        TopicCatalog p = TopicManifests.PRODUCTION;
        assertThat(platform).containsEntry("REFORM_TOPICS_PARTITIONS", Integer.toString(p.eventPartitions()))
                .containsEntry("REFORM_TOPICS_REPLICATIONFACTOR", Short.toString(p.replicationFactor()))
                .containsEntry("REFORM_TOPICS_MININSYNCREPLICAS", Integer.toString(p.minInsyncReplicas()))
                .containsEntry("KAFKA_BOOTSTRAP", TopicManifests.CLUSTER + "-kafka-bootstrap:9092");
        // The names bind to reform.topics.* (Spring's relaxed binding of environment variables).
        assertThat(reformPropertyEnvNames()).contains("REFORM_TOPICS_PARTITIONS", "REFORM_TOPICS_REPLICATIONFACTOR",
                "REFORM_TOPICS_MININSYNCREPLICAS", "REFORM_SECURITY_JWTSECRET");
    }

    // ---------------------------------------------------------------- workloads

    record Workload(String kind, String name, PodTemplateSpec template) {
    }

    static List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        all(Deployment.class).forEach(d -> out.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getTemplate())));
        all(StatefulSet.class).forEach(s -> out.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getTemplate())));
        return out;
    }

    static String serviceOf(Container c) {
        return c.getImage().startsWith(IMAGE_PREFIX) ? c.getImage().substring(IMAGE_PREFIX.length()).replaceFirst(":.*$", "") : null;
    }

    @Test
    void everyServiceRunsAndTheStatusServiceIsAStatefulSet() {
        Map<String, String> kindByService = new HashMap<>();
        for (Workload w : workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                String service = serviceOf(c);
                if (service != null) {
                    assertThat(service).as("workload %s runs an image of service %s", w.name(), service).isEqualTo(w.name());
                    assertThat(c.getImage()).endsWith(":0.1.0");
                    kindByService.put(service, w.kind());
                }
            }
        }
        assertThat(kindByService.keySet()).isEqualTo(SERVICES);
        kindByService.forEach((s, kind) -> assertThat(kind).as(s).isEqualTo(STATEFUL.contains(s) ? "StatefulSet" : "Deployment"));
    }

    @Test
    void everyContainerHasProbesAndResourceRequestsAndLimits() {
        for (Workload w : workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                String where = w.kind() + " " + w.name() + " container " + c.getName();
                assertProbe(where + " readiness", c.getReadinessProbe());
                assertProbe(where + " liveness", c.getLivenessProbe());
                if (serviceOf(c) != null) {
                    assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(where).isEqualTo("/actuator/health/readiness");
                    assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(where).isEqualTo("/actuator/health/liveness");
                }
                assertThat(c.getResources()).as(where + " resources").isNotNull();
                assertThat(c.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(where + " limits").containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits().get("memory").getNumericalAmount())
                        .as(where + " memory limit ≥ request")
                        .isGreaterThanOrEqualTo(c.getResources().getRequests().get("memory").getNumericalAmount());
                assertThat(c.getResources().getLimits().get("cpu").getNumericalAmount())
                        .as(where + " cpu limit ≥ request")
                        .isGreaterThanOrEqualTo(c.getResources().getRequests().get("cpu").getNumericalAmount());
            }
        }
    }

    private static void assertProbe(String where, Probe probe) {
        assertThat(probe).as(where).isNotNull();
        assertThat(probe.getHttpGet()).as(where + " httpGet").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where + " path").isNotBlank();
    }

    @Test
    void noServiceTurnsTheProbesOff() throws IOException {
        // Spring Boot 4 enables the liveness/readiness groups by default (management.endpoint.health.probes.enabled,
        // default true; Boot 3 did so on Kubernetes only): nobody may turn them off, and health must be exposed.
        for (String service : SERVICES) {
            Map<String, String> props = flatten(applicationYaml(service));
            assertThat(props.get("management.endpoint.health.probes.enabled")).as(service).isNotEqualTo("false");
            assertThat(props.getOrDefault("management.endpoints.web.exposure.include", "health")).as(service).contains("health");
        }
    }

    @Test
    void everyEnvironmentVariableIsOneTheServiceReads() throws IOException {
        ConfigMap platform = named(ConfigMap.class, "reform-platform");
        for (Workload w : workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                String service = serviceOf(c);
                List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
                assertThat(c.getEnvFrom()).as("%s: take single keys, not whole maps (envFrom)", w.name()).isNullOrEmpty();
                for (EnvVar e : env) {
                    if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                        assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("reform-platform");
                        assertThat(platform.getData()).as("%s: %s", w.name(), e.getName()).containsKey(e.getValueFrom().getConfigMapKeyRef().getKey());
                    }
                }
                if (service != null) {
                    assertThat(unknownEnv(service, env)).as("%s: environment variables that %s's application.yaml (or reform.* of "
                            + "the shared library) does not read", w.name(), service).isEmpty();
                }
            }
        }
    }

    @Test
    void aVariableNoServiceReadsIsCaught() throws IOException {
        List<EnvVar> env = List.of(
                new EnvVar("KAFKA_BOOTSTRAP", "reform-kafka-bootstrap:9092", null),
                new EnvVar("KAFKA_BOOTSTRAP_SERVERS", "reform-kafka-bootstrap:9092", null),   // Apicurio's name, not ours
                new EnvVar("STATUS_STANDBY_REPLICAS", "1", null),                           // the status service's, not this one's
                new EnvVar("REFORM_SECURITY_JWTSECRET", "x", null),
                new EnvVar("JAVA_TOOL_OPTIONS", "-XX:+ExitOnOutOfMemoryError", null),
                new EnvVar("POD_IP", null, null));                                          // not a placeholder, not referenced
        assertThat(unknownEnv("case-adoption-service", env)).containsExactly("KAFKA_BOOTSTRAP_SERVERS", "STATUS_STANDBY_REPLICAS", "POD_IP");
        // The dashboard turns the shared auto-configuration off, so reform.security.* means nothing there.
        assertThat(unknownEnv("dashboard", List.of(new EnvVar("REFORM_SECURITY_JWTSECRET", "x", null),
                new EnvVar("REFORM_DASHBOARD_LOCALSIGNIN", "false", null)))).containsExactly("REFORM_SECURITY_JWTSECRET");
        // spring.mail.* is read where the mail starter is (Boot's MailProperties), not elsewhere; a typo is caught.
        List<EnvVar> mail = List.of(new EnvVar("SPRING_MAIL_HOST", "smtp", null), new EnvVar("SPRING_MAIL_USERNAME", "u", null),
                new EnvVar("SPRING_MAIL_PASSWORD", "p", null), new EnvVar("SPRING_MAIL_USER", "u", null),
                new EnvVar("MAIL_HOST", "smtp", null));
        assertThat(unknownEnv("notification-service", mail)).containsExactly("SPRING_MAIL_USER");
        assertThat(unknownEnv("case-adoption-service", mail))
                .containsExactly("SPRING_MAIL_HOST", "SPRING_MAIL_USERNAME", "SPRING_MAIL_PASSWORD", "SPRING_MAIL_USER", "MAIL_HOST");
    }

    @Test
    void everySecretAContainerNeedsIsOneTheReadmeSaysHowToCreate() throws IOException {
        // `kubectl -n reform create secret generic NAME --from-literal=KEY=… --from-file=KEY=…` in README.md.
        String readme = Files.readString(module.resolve("README.md"), StandardCharsets.UTF_8).replace("\\\n", " ");
        Map<String, Set<String>> documented = new HashMap<>();
        Matcher command = Pattern.compile("create secret generic ([a-z0-9-]+)([^\\n]*)").matcher(readme);
        while (command.find()) {
            Set<String> keys = documented.computeIfAbsent(command.group(1), k -> new TreeSet<>());
            Matcher key = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9._-]+)=").matcher(command.group(2));
            while (key.find()) {
                keys.add(key.group(1));
            }
        }
        Set<String> used = new TreeSet<>();
        for (Workload w : workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        String secret = e.getValueFrom().getSecretKeyRef().getName();
                        used.add(secret);
                        assertThat(documented).as("%s %s: README.md creates Secret %s", w.name(), e.getName(), secret).containsKey(secret);
                        assertThat(documented.get(secret)).as("%s %s: the README's Secret %s has the key", w.name(), e.getName(), secret)
                                .contains(e.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
            if (w.template().getSpec().getVolumes() != null) {
                w.template().getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> {
                    used.add(v.getSecret().getSecretName());
                    assertThat(documented).as("%s volume %s", w.name(), v.getName()).containsKey(v.getSecret().getSecretName());
                });
            }
        }
        assertThat(used).contains("reform-jwt", "reform-smtp");
    }

    /** The variables of {@code env} that {@code service} does not read (see {@link #knownEnvNames}). */
    static List<String> unknownEnv(String service, List<EnvVar> env) throws IOException {
        Set<String> known = knownEnvNames(service);
        Set<String> referenced = new HashSet<>();
        Pattern ref = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (EnvVar e : env) {
            Matcher m = ref.matcher(Objects.toString(e.getValue(), ""));
            while (m.find()) {
                referenced.add(m.group(1));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (EnvVar e : env) {
            // A Downward-API value used only to build another variable ($(POD_NAME) in STATUS_ADVERTISED_HOST).
            boolean downwardHelper = e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null && referenced.contains(e.getName());
            if (!known.contains(e.getName()) && !JVM_ENV.contains(e.getName()) && !downwardHelper) {
                unknown.add(e.getName());
            }
        }
        return unknown;
    }

    @Test
    void theStatusServiceKeepsStateOnAClaimAndAdvertisesItsStableName() {
        StatefulSet s = named(StatefulSet.class, "replication-status-service");
        Service headless = named(Service.class, s.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getSelector()).isEqualTo(s.getSpec().getSelector().getMatchLabels());
        assertThat(s.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);

        Container c = s.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("STATUS_STANDBY_REPLICAS").getValue()).isEqualTo("1");
        assertThat(env.get("STATUS_ADVERTISED_HOST").getValue())
                .isEqualTo("$(POD_NAME)." + s.getSpec().getServiceName() + ".$(POD_NAMESPACE).svc.cluster.local");
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        // Kubernetes expands $(VAR) only from variables defined earlier in the list.
        List<String> order = c.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(order.indexOf("POD_NAME")).isLessThan(order.indexOf("STATUS_ADVERTISED_HOST"));
        assertThat(order.indexOf("POD_NAMESPACE")).isLessThan(order.indexOf("STATUS_ADVERTISED_HOST"));

        // The state dir (REFORM_DATA_DIR/streams/...) is on the volume claim template.
        String dataDir = env.get("REFORM_DATA_DIR").getValue();
        String claim = s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(c.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath).contains(org.assertj.core.groups.Tuple.tuple(claim, dataDir));
        assertThat(s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests()).containsKey("storage");
    }

    @Test
    void theNotificationServiceRunsOnceWithItsStateOnAClaimAndMailFromTheSmtpSecret() {
        StatefulSet s = named(StatefulSet.class, "notification-service");
        // One instance: the inbox queries local stores only (no forwarding), so a second pod would answer
        // with half of every inbox. Nothing may scale it either.
        assertThat(s.getSpec().getReplicas()).isEqualTo(1);
        assertThat(all(HorizontalPodAutoscaler.class)).noneSatisfy(h -> assertThat(h.getSpec().getScaleTargetRef().getName())
                .isEqualTo("notification-service"));
        assertThat(named(Service.class, s.getSpec().getServiceName()).getSpec().getSelector()).isEqualTo(s.getSpec().getSelector().getMatchLabels());

        Container c = s.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        // reform.notifications.state-dir defaults to ${REFORM_DATA_DIR}/streams/notification-service: on the claim.
        String dataDir = env.get("REFORM_DATA_DIR").getValue();
        String claim = s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(c.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath).contains(org.assertj.core.groups.Tuple.tuple(claim, dataDir));
        assertThat(s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests()).containsKey("storage");

        // SMTP from Secret reform-smtp: host and port required, credentials optional (a relay without AUTH).
        for (String name : List.of("SPRING_MAIL_HOST", "SPRING_MAIL_PORT", "SPRING_MAIL_USERNAME", "SPRING_MAIL_PASSWORD")) {
            assertThat(env.get(name)).as(name).isNotNull();
            assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName()).as(name).isEqualTo("reform-smtp");
        }
        assertThat(env.get("SPRING_MAIL_HOST").getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);
        assertThat(env.get("SPRING_MAIL_PORT").getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void servicesSelectPodsAndNamedPortsThatExist() {
        Map<Map<String, String>, PodTemplateSpec> templates = new HashMap<>();
        all(Deployment.class).forEach(d -> templates.put(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate()));
        all(StatefulSet.class).forEach(d -> templates.put(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate()));
        for (Map.Entry<Map<String, String>, PodTemplateSpec> e : templates.entrySet()) {
            assertThat(e.getValue().getMetadata().getLabels()).as("template labels match the selector").containsAllEntriesOf(e.getKey());
        }
        for (Service svc : all(Service.class)) {
            PodTemplateSpec t = templates.get(svc.getSpec().getSelector());
            assertThat(t).as("Service %s selects a workload", svc.getMetadata().getName()).isNotNull();
            Set<String> portNames = t.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                    .map(p -> p.getName()).collect(Collectors.toSet());
            for (ServicePort p : svc.getSpec().getPorts()) {
                assertThat(portNames).as("Service %s targetPort", svc.getMetadata().getName()).contains(p.getTargetPort().getStrVal());
            }
        }
        // Addresses the manifests give each other point at Services that exist, on their ports.
        Map<String, Integer> ports = new HashMap<>();
        all(Service.class).forEach(s -> ports.put(s.getMetadata().getName(), s.getSpec().getPorts().get(0).getPort()));
        Pattern internal = Pattern.compile("http://([a-z0-9-]+):(\\d+)");
        for (Workload w : workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    Matcher m = internal.matcher(Objects.toString(e.getValue(), ""));
                    if (m.find()) {
                        assertThat(ports).as("%s %s", w.name(), e.getName()).containsEntry(m.group(1), Integer.parseInt(m.group(2)));
                    }
                }
            }
        }
        named(ConfigMap.class, "reform-platform").getData().values().forEach(v -> {
            Matcher m = internal.matcher(v);
            if (m.find()) {
                assertThat(ports).containsEntry(m.group(1), Integer.parseInt(m.group(2)));
            }
        });
    }

    @Test
    void theStatelessApiServicesAutoscaleAndEveryReplicatedWorkloadHasADisruptionBudget() {
        Set<String> scaled = new HashSet<>();
        for (HorizontalPodAutoscaler h : all(HorizontalPodAutoscaler.class)) {
            assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            Deployment d = named(Deployment.class, h.getSpec().getScaleTargetRef().getName());
            assertThat(h.getSpec().getMinReplicas()).isLessThanOrEqualTo(h.getSpec().getMaxReplicas());
            assertThat(d.getSpec().getReplicas()).as("%s: the HPA owns the replica count; a re-apply must not reset it",
                    d.getMetadata().getName()).isNull();
            assertThat(h.getSpec().getMinReplicas()).as("at least two pods of %s", d.getMetadata().getName()).isGreaterThanOrEqualTo(2);
            assertThat(h.getSpec().getMetrics()).anySatisfy(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
            scaled.add(d.getMetadata().getName());
        }
        assertThat(scaled).isEqualTo(AUTOSCALED);

        Set<Map<String, String>> budgeted = all(PodDisruptionBudget.class).stream()
                .map(p -> p.getSpec().getSelector().getMatchLabels()).collect(Collectors.toSet());
        all(Deployment.class).stream().filter(d -> scaled.contains(d.getMetadata().getName()) || d.getSpec().getReplicas() > 1)
                .forEach(d -> assertThat(budgeted).as("PDB for %s", d.getMetadata().getName()).contains(d.getSpec().getSelector().getMatchLabels()));
        // A single pod (notification-service) gets none: minAvailable 1 would block every drain, maxUnavailable 1 does nothing.
        all(StatefulSet.class).stream().filter(s -> s.getSpec().getReplicas() > 1)
                .forEach(s -> assertThat(budgeted).as("PDB for %s", s.getMetadata().getName()).contains(s.getSpec().getSelector().getMatchLabels()));
    }

    // ---------------------------------------------------------------- what a service reads

    static Map<String, Object> applicationYaml(String service) throws IOException {
        Path file = repo.resolve("services").resolve(service).resolve("src/main/resources/application.yaml");
        assertThat(file).as("application.yaml of %s", service).exists();
        return new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** {@code a.b.c -> value} of a YAML tree (lists are leaves). */
    static Map<String, String> flatten(Map<String, Object> tree) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", tree, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> tree, Map<String, String> out) {
        tree.forEach((k, v) -> {
            String key = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m) {
                flatten(key, (Map<String, Object>) m, out);
            } else {
                out.put(key, String.valueOf(v));
            }
        });
    }

    /** Spring Boot's canonical environment-variable form of a property: dots to underscores, no dashes, upper case. */
    static String envName(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The names a service reads: the {@code ${NAME:…}} placeholders of its application.yaml, every property
     * the file sets (in environment form), and, where the shared auto-configuration is on, every
     * {@code reform.*} property of {@link ReformProperties}.
     */
    static Set<String> knownEnvNames(String service) throws IOException {
        Path file = repo.resolve("services").resolve(service).resolve("src/main/resources/application.yaml");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        Map<String, String> props = flatten(applicationYaml(service));
        props.keySet().forEach(k -> names.add(envName(k)));
        String excluded = props.getOrDefault("spring.autoconfigure.exclude", "");
        if (!excluded.contains("ReformPlatformAutoConfiguration")) {
            names.addAll(reformPropertyEnvNames());
        }
        String pom = Files.readString(repo.resolve("services").resolve(service).resolve("pom.xml"), StandardCharsets.UTF_8);
        STARTER_PROPERTIES.forEach((starter, properties) -> {
            if (pom.contains("<artifactId>" + starter + "</artifactId>")) {
                collect(properties.getValue(), properties.getKey(), "org.springframework.boot.", names);
            }
        });
        return names;
    }

    /** {@code REFORM_TOPICS_PARTITIONS}, {@code REFORM_SECURITY_JWTSECRET}, …: the shared library's settings. */
    static Set<String> reformPropertyEnvNames() {
        Set<String> out = new TreeSet<>();
        collect("REFORM", ReformProperties.class, "sh.reform.", out);
        return out;
    }

    /**
     * The environment names of the settable properties of a {@code @ConfigurationProperties} class, nested
     * groups (getter only, a type of {@code nestedPackage}) included; maps without a setter are left out.
     */
    private static void collect(String prefix, Class<?> type, String nestedPackage, Set<String> out) {
        try {
            for (PropertyDescriptor p : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
                String name = prefix + "_" + p.getName().toUpperCase(java.util.Locale.ROOT);
                Class<?> t = p.getPropertyType();
                if (t.getName().startsWith(nestedPackage) && p.getWriteMethod() == null) {
                    collect(name, t, nestedPackage, out);
                } else if (p.getWriteMethod() != null) {
                    out.add(name);
                }
            }
        } catch (java.beans.IntrospectionException e) {
            fail(e);
        }
    }
}
