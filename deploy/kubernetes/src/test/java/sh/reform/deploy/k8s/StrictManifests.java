package sh.reform.deploy.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reads manifest files into the typed fabric8 (Kubernetes) and Strimzi models, and refuses what those
 * models do not know.
 *
 * <p>Both models keep unknown fields instead of failing: every class has a Jackson any-setter that
 * collects them into {@code additionalProperties}, so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone would
 * never fire. The mapper here removes every any-setter while building the deserializers, so an unknown
 * field anywhere (a misspelled {@code readinesProbe}, a {@code partitons} in a KafkaTopic) is an
 * "unrecognized property" error naming the class and the path. Duplicate keys fail too.
 */
final class StrictManifests {

    /** One YAML document of one file. */
    record Doc(Path file, int index, Map<String, Object> raw, String json) {
        String kind() {
            return String.valueOf(raw.get("kind"));
        }

        String apiVersion() {
            return String.valueOf(raw.get("apiVersion"));
        }

        @Override
        public String toString() {
            return file.getFileName() + "#" + index + " (" + kind() + ")";
        }
    }

    /** The kinds the manifests may use, each with the model class it must parse into. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class);

    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    private final KubernetesSerialization serialization;

    StrictManifests() {
        JsonMapper strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(new SimpleModule("no-any-setter").setDeserializerModifier(new NoAnySetter()))
                .build();
        this.serialization = new KubernetesSerialization(strict, false);
    }

    /** Drops the any-setter of every bean, so unknown fields fail instead of being kept. */
    static final class NoAnySetter extends ValueDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription.Supplier beanDesc,
                                                     BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            return builder;
        }
    }

    /** A deep copy through the strict mapper (for tests that alter a parsed resource). */
    <T> T serializationCopy(T resource) {
        return serialization.clone(resource);
    }

    /** Every document of a YAML file (empty documents skipped); duplicate keys fail. */
    static List<Doc> documents(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<Doc> docs = new ArrayList<>();
        int index = 0;
        for (Object o : yaml.loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
            if (o == null) {
                continue;
            }
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalStateException(file + ": document " + index + " is not a mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = (Map<String, Object>) m;
            docs.add(new Doc(file, index++, raw, PLAIN.writeValueAsString(raw)));
        }
        return docs;
    }

    /** The path of the first key {@code name} anywhere in {@code tree}, or null. */
    private static String findKey(Object tree, String name, String path) {
        if (tree instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String here = path + "." + e.getKey();
                if (name.equals(e.getKey())) {
                    return here;
                }
                String found = findKey(e.getValue(), name, here);
                if (found != null) {
                    return found;
                }
            }
        } else if (tree instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String found = findKey(l.get(i), name, path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Every {@code .yaml} file under {@code dir}, sorted. */
    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** The document as its typed model; fails on an unknown kind or any unknown field. */
    HasMetadata parse(Doc doc) {
        Class<? extends HasMetadata> type = KINDS.get(doc.apiVersion() + "/" + doc.kind());
        if (type == null) {
            throw new IllegalArgumentException(doc + ": kind " + doc.apiVersion() + "/" + doc.kind()
                    + " is not one the tests know; add it to StrictManifests.KINDS with its model class");
        }
        // Strimzi's classes also expose their bag of unknown fields as a bean property, which Jackson would
        // fill from a key of that name: no manifest has a reason to use it.
        String bag = findKey(doc.raw(), "additionalProperties", "");
        if (bag != null) {
            throw new IllegalArgumentException(doc + ": Unrecognized property \"additionalProperties\" at " + bag);
        }
        try {
            return serialization.unmarshal(doc.json(), type);
        } catch (RuntimeException e) {
            // fabric8 wraps Jackson's exception ("An error has occurred."): report the innermost message.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(doc + ": " + cause.getMessage(), e);
        }
    }
}
