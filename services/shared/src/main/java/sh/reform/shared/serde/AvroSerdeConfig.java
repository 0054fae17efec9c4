package sh.reform.shared.serde;

import java.time.Duration;
import java.util.Map;

import sh.reform.shared.registry.SchemaRegistryClient;

/**
 * The serde settings, under Confluent's own property names so that the same configuration
 * drives {@code io.confluent.kafka.serializers.KafkaAvroSerializer} when a deployment swaps it in.
 */
public final class AvroSerdeConfig {

    /** Comma-separated registry base URLs. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the record's schema on first use (default true); when false it must already be registered. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Deserialize into the generated classes (true) or GenericRecord (false, the default, as Confluent's). */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    /** {@code user:password} for basic auth. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Only TopicNameStrategy (subject = topic + "-key"/"-value") is supported; other values are refused. */
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    /** Not a Confluent name: registry request timeout in ms (default 3000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    final String url;
    final boolean autoRegister;
    final boolean specificReader;
    final String userInfo;
    final Duration timeout;

    AvroSerdeConfig(Map<String, ?> configs, boolean isKey) {
        Object u = configs.get(SCHEMA_REGISTRY_URL);
        if (u == null || u.toString().isBlank()) {
            throw new IllegalArgumentException("missing required configuration '" + SCHEMA_REGISTRY_URL + "'");
        }
        this.url = u.toString();
        this.autoRegister = bool(configs.get(AUTO_REGISTER_SCHEMAS), true);
        this.specificReader = bool(configs.get(SPECIFIC_AVRO_READER), false);
        Object ui = configs.get(BASIC_AUTH_USER_INFO);
        this.userInfo = ui == null ? null : ui.toString();
        Object t = configs.get(REQUEST_TIMEOUT_MS);
        this.timeout = Duration.ofMillis(t == null ? 3000 : Long.parseLong(t.toString()));
        Object strategy = configs.get(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
        if (strategy != null && !strategy.toString().equals(TOPIC_NAME_STRATEGY)
                && !strategy.toString().endsWith("TopicNameStrategy")) {
            throw new IllegalArgumentException("only TopicNameStrategy is supported, got " + strategy);
        }
    }

    SchemaRegistryClient client() {
        return RegistryClients.shared(url, userInfo, timeout);
    }

    private static boolean bool(Object v, boolean dflt) {
        return v == null ? dflt : Boolean.parseBoolean(v.toString());
    }
}
