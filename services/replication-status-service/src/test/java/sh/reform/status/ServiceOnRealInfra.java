package sh.reform.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service against the real broker and registry of this test JVM. Subclasses share one
 * application context (same configuration), so the service starts once for all of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClock.Config.class)
public abstract class ServiceOnRealInfra {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Path STATE_DIR;

    static {
        try {
            STATE_DIR = Files.createTempDirectory("replication-status-state-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> KillAndRestartIT.deleteQuietly(STATE_DIR)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        RealInfraFixture.prepare();
        r.add("spring.kafka.bootstrap-servers", RealInfraFixture::bootstrap);
        r.add("spring.kafka.properties.schema.registry.url", RealInfraFixture::registry);
        r.add("reform.status.state-dir", STATE_DIR::toString);
        r.add("reform.status.retry-after", () -> "1s");
        // The sweep runs once per calendar day whatever this says; often, so a day passed on the TestClock shows soon.
        r.add("reform.status.punctuate-every", () -> "500ms");
    }

    @LocalServerPort
    protected int port;

    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    protected HttpResponse<String> send(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET that must answer 200, as JSON. */
    protected JsonNode get(String path) {
        HttpResponse<String> r = send(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
