package sh.reform.gateway.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Prints the signature headers of one request, for curl:
 * <pre>
 * java -cp one-network-gateway.jar -Dloader.main=sh.reform.gateway.signing.SignCommand org.springframework.boot.loader.launch.PropertiesLauncher \
 *   --app-key ywtb-city --secret … --method POST --path /api/v1/one-network/services/items --body-file item.json [--url http://127.0.0.1:8095]
 * </pre>
 * or, from the build output, {@code java -cp target/classes sh.reform.gateway.signing.SignCommand …}.
 * With {@code --url} it prints the whole curl command.
 */
public final class SignCommand {

    private SignCommand() {
    }

    public static void main(String[] args) throws IOException {
        String appKey = null;
        String secret = System.getenv("ONE_NETWORK_APP_SECRET");
        String method = "POST";
        String path = null;
        Path bodyFile = null;
        String url = null;
        String contentType = "application/json";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--app-key" -> appKey = v;
                case "--secret" -> secret = v;
                case "--method" -> method = v;
                case "--path" -> path = v;
                case "--body-file" -> bodyFile = Path.of(v);
                case "--url" -> url = v;
                case "--content-type" -> contentType = v;
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (appKey == null || secret == null || path == null) {
            usage("--app-key, --secret (or ONE_NETWORK_APP_SECRET) and --path are required");
        }
        byte[] body = bodyFile == null ? new byte[0] : Files.readAllBytes(bodyFile);
        Map<String, String> headers = new RequestSigner(appKey, secret).sign(method, path, body);
        StringBuilder out = new StringBuilder();
        if (url != null) {
            out.append("curl -sS -X ").append(method.toUpperCase(java.util.Locale.ROOT)).append(" '").append(url).append(path).append("' \\\n");
            if (bodyFile != null) {
                out.append("  -H 'Content-Type: ").append(contentType).append("' --data-binary @").append(bodyFile).append(" \\\n");
            }
        }
        headers.forEach((k, v) -> out.append("  -H '").append(k).append(": ").append(v).append("' \\\n"));
        out.setLength(out.length() - 3);
        System.out.println(out);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: SignCommand --app-key KEY --secret SECRET [--method POST] --path /api/v1/one-network/... "
                + "[--body-file FILE] [--content-type text/csv] [--url http://127.0.0.1:8095]");
        System.exit(2);
    }
}
