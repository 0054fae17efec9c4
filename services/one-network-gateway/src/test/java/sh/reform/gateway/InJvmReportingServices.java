package sh.reform.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import sh.reform.local.infra.RealInfra;
import sh.reform.shared.testing.TestPlatform;

/**
 * The real measure-rollout and outcome-reporting services, started inside the test JVM on random
 * ports, so the gateway's inbound path is tested through the reporting path it really takes. Their
 * classes come from their Boot jars (unpacked by the build onto the test class path, see the pom);
 * they are started by name because they are not on the compile class path.
 */
final class InJvmReportingServices {

    private static final Map<String, Integer> PORTS = new HashMap<>();

    private InJvmReportingServices() {
    }

    static synchronized int rollout() {
        return start("sh.reform.rollout.MeasureRolloutServiceApplication", "measure-rollout-service");
    }

    static synchronized int outcome() {
        return start("sh.reform.outcome.OutcomeReportingServiceApplication", "outcome-reporting-service");
    }

    private static int start(String mainClass, String name) {
        Integer known = PORTS.get(name);
        if (known != null) {
            return known;
        }
        TestPlatform.publishSeedCatalog();
        Class<?> app;
        try {
            app = Class.forName(mainClass);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(mainClass + " is not on the test class path; the build unpacks it to target/reporting-services", e);
        }
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(app).bannerMode(Banner.Mode.OFF).logStartupInfo(false).run(
                "--server.port=0",
                "--spring.application.name=" + name,
                "--spring.kafka.bootstrap-servers=" + RealInfra.broker().bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + RealInfra.registry().confluentApiUrl(),
                "--management.endpoints.web.exposure.include=health",
                "--logging.level.org.apache.kafka=WARN");
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        awaitUp(port, name);
        PORTS.put(name, port);
        return port;
    }

    /** Up means the catalog and the receipt index are read, so a repeated report is recognised. */
    private static void awaitUp(int port, String name) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = TestPlatform.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                Thread.sleep(100);
            } catch (Exception e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException(name + " did not come up");
    }
}
