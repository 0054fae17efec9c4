package sh.reform.shared.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

import sh.reform.schema.compat.BackwardCompatibilityCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small client for the Confluent Schema Registry REST API (v7): register, look up by id or
 * by subject, latest version, compatibility settings — with caches, so that a running producer
 * asks the registry once per schema and a consumer once per schema id.
 *
 * <p><b>Why the project carries its own client.</b> Confluent's {@code kafka-schema-registry-client}
 * and {@code kafka-avro-serializer} are published only in Confluent's own Maven repository, which
 * the build machines here cannot reach; Apicurio's serdes speak Apicurio's native API and wire
 * format. The Confluent REST API is small and stable, so this client implements the part the
 * platform uses, against any server that speaks it (Confluent Schema Registry, Apicurio Registry's
 * {@code /apis/ccompat/v7}, Redpanda, Karapace). The serializers configured with Confluent's
 * property names ({@code schema.registry.url}, {@code auto.register.schemas}, …) let a deployment
 * switch to Confluent's {@code KafkaAvroSerializer} by configuration alone.
 *
 * <p>Timeouts are short on purpose (connect 2 s, request 3 s): a reporting service must answer
 * 503 within 5 s when the registry is down, never hang.
 */
public final class SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> baseUrls;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String authorization;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param urls comma-separated base URLs, as Confluent's {@code schema.registry.url}
     *             (e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}); tried in order
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
     */
    public SchemaRegistryClient(String urls, String basicAuthUserInfo, Duration requestTimeout) {
        if (urls == null || urls.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is required");
        }
        List<URI> list = new ArrayList<>();
        for (String u : urls.split(",")) {
            String t = u.trim();
            list.add(URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t));
        }
        this.baseUrls = List.copyOf(list);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
    }

    public SchemaRegistryClient(String urls) {
        this(urls, null, Duration.ofSeconds(3));
    }

    /** Registers the schema under the subject (or finds it already there) and returns its id. */
    public int register(String subject, Schema schema) {
        String cacheKey = subject + "\u0000" + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        Response r = call("POST", "/subjects/" + enc(subject) + "/versions", body.toString());
        if (r.status == 409) {
            // Apicurio answers 409 also when a concurrent (or timed-out, retried) registration of the
            // same schema created the subject first: then the schema is there, and that is success.
            Optional<Integer> there = lookup(subject, schema);
            if (there.isPresent()) {
                return there.get();
            }
            throw incompatible(subject, schema, r);
        }
        r.requireOk("register schema under subject '" + subject + "'");
        int id = r.json().path("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The id of a schema already registered under the subject, without registering it. */
    public Optional<Integer> lookup(String subject, Schema schema) {
        String cacheKey = subject + "\u0000" + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        Response r = call("POST", "/subjects/" + enc(subject), body.toString());
        if (r.status == 404) {
            return Optional.empty();
        }
        r.requireOk("look up schema under subject '" + subject + "'");
        int id = r.json().path("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        return Optional.of(id);
    }

    /** The schema with this id; cached for the life of the client (ids never change meaning). */
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Response r = call("GET", "/schemas/ids/" + id, null);
        r.requireOk("fetch schema id " + id);
        Schema schema = new Schema.Parser().parse(r.json().path("schema").asString());
        schemasById.put(id, schema);
        return schema;
    }

    /** The latest version registered under the subject, if any. */
    public Optional<RegisteredSchema> latest(String subject) {
        Response r = call("GET", "/subjects/" + enc(subject) + "/versions/latest", null);
        if (r.status == 404) {
            return Optional.empty();
        }
        r.requireOk("fetch latest version of subject '" + subject + "'");
        JsonNode n = r.json();
        return Optional.of(new RegisteredSchema(subject, n.path("version").asInt(), n.path("id").asInt(),
                new Schema.Parser().parse(n.path("schema").asString())));
    }

    /** All subjects the registry holds. */
    public List<String> subjects() {
        Response r = call("GET", "/subjects", null);
        r.requireOk("list subjects");
        List<String> out = new ArrayList<>();
        r.json().forEach(n -> out.add(n.asString()));
        return out;
    }

    /** Sets the compatibility level (BACKWARD, FULL, …) of one subject. */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", "/config/" + enc(subject), body.toString()).requireOk("set compatibility of '" + subject + "'");
    }

    /** The base URLs this client talks to. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    private IncompatibleSchemaException incompatible(String subject, Schema schema, Response r) {
        String registryMessage = r.body == null ? "" : r.body;
        try {
            registryMessage = r.json().path("message").asString(registryMessage);
        } catch (RuntimeException ignored) {
            // keep the raw body
        }
        List<String> problems = List.of();
        try {
            Optional<RegisteredSchema> latest = latest(subject);
            if (latest.isPresent()) {
                problems = BackwardCompatibilityCheck.problems(latest.get().schema(), schema);
            }
        } catch (RuntimeException ignored) {
            // the registry's own message still explains the refusal
        }
        return new IncompatibleSchemaException(subject, problems, registryMessage);
    }

    private Response call(String method, String path, String body) {
        SchemaRegistryException last = null;
        for (URI base : baseUrls) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(requestTimeout)
                    .header("Accept", CONTENT_TYPE + ", application/json");
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                b.header("Content-Type", CONTENT_TYPE);
            }
            try {
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (resp.statusCode() >= 500) {
                    last = new SchemaRegistryUnavailableException("schema registry " + base + " answered "
                            + resp.statusCode() + " to " + method + " " + path + ": " + resp.body(), resp.statusCode(), null);
                    continue;
                }
                return new Response(resp.statusCode(), resp.body());
            } catch (IOException e) {
                last = new SchemaRegistryUnavailableException("schema registry " + base + " unreachable ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", 0, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("interrupted while calling the schema registry", 0, e);
            }
        }
        throw last;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A schema as registered under a subject. */
    public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    }

    private record Response(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        void requireOk(String what) {
            if (status >= 200 && status < 300) {
                return;
            }
            int code = 0;
            String message = body;
            try {
                JsonNode n = JSON.readTree(body);
                code = n.path("error_code").asInt(0);
                message = n.path("message").asString(body);
            } catch (RuntimeException ignored) {
                // not JSON
            }
            throw new SchemaRegistryException("could not " + what + ": HTTP " + status + " " + message, status, code, null);
        }
    }
}
