package sh.reform.local.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void schemasAndIdsSurviveRestartAndKill() throws Exception {
        try (ApicurioRegistry registry = ApicurioRegistry.start(dataDir, 0)) {
            assertThat(registry.confluentApiUrl()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
            assertThat(get(registry.confluentApiUrl() + "/subjects").statusCode()).isEqualTo(200);

            String schemaT = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
            int idT = register(registry, "t-value", schemaT);

            int port = registry.port();
            registry.restart();
            assertThat(registry.port()).isEqualTo(port);
            HttpResponse<String> byId = get(registry.confluentApiUrl() + "/schemas/ids/" + idT);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(byId.body()).contains("\\\"name\\\":\\\"T\\\"");

            // A write acknowledged just before a kill -9 is on disk too.
            String schemaU = "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"b\",\"type\":\"long\"}]}";
            int idU = register(registry, "u-value", schemaU);
            registry.kill();
            registry.restart();
            assertThat(get(registry.confluentApiUrl() + "/schemas/ids/" + idU).body()).contains("\\\"name\\\":\\\"U\\\"");
            assertThat(get(registry.confluentApiUrl() + "/subjects").body()).contains("t-value", "u-value");
        }
        assertThat(dataDir.resolve("registry.mv.db")).exists();
        assertThat(dataDir.resolve("logs/registry.log")).exists();
    }

    private static int register(ApicurioRegistry registry, String subject, String schema) throws Exception {
        String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        assertThat(id.find()).as(response.body()).isTrue();
        return Integer.parseInt(id.group(1));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
