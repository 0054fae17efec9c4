package sh.reform.gateway.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsACurlCommandWhoseHeadersTheGatewayAccepts() throws Exception {
        String secret = "command-line-secret-0123456789abcdef";
        Path body = dir.resolve("item.json");
        Files.writeString(body, "{\"messageId\": \"m-1\", \"itemName\": \"开店一件事\"}");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            SignCommand.main(new String[] {"--app-key", "ywtb-city", "--secret", secret, "--method", "POST",
                    "--path", "/api/v1/one-network/services/items", "--body-file", body.toString(), "--url", "http://127.0.0.1:8095"});
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("curl -sS -X POST 'http://127.0.0.1:8095/api/v1/one-network/services/items'").contains("--data-binary @");
        Map<String, String> headers = new HashMap<>();
        Matcher m = Pattern.compile("-H '([A-Za-z-]+): ([^']*)'").matcher(text);
        while (m.find()) {
            headers.put(m.group(1), m.group(2));
        }
        Path apps = dir.resolve("apps.yaml");
        Files.writeString(apps, "apps:\n  - appKey: ywtb-city\n    secret: \"" + secret + "\"\n");
        SignatureVerifier v = new SignatureVerifier(new AppRegistry(apps, Duration.ZERO, Clock.systemUTC()), Duration.ofMinutes(5),
                Duration.ofMinutes(10), Clock.systemUTC());
        assertThat(v.verify("POST", "/api/v1/one-network/services/items", headers::get, Files.readAllBytes(body)).appKey()).isEqualTo("ywtb-city");
    }
}
